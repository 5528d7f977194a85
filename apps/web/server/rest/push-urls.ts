import type { PushTarget } from "@vigil/orchestrator";
import { PushUrlsResponse } from "../../lib/contract-push.ts";
import type { LiveState } from "../live/state.ts";
import { HttpError } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS } from "./shared.ts";

/** The push paths of one service's checks, in config order. */
export function pushPaths(byToken: ReadonlyMap<string, PushTarget>, service: string): PushUrlsResponse {
  const checks: PushUrlsResponse["checks"] = [];
  for (const [token, target] of byToken) {
    if (target.service === service) checks.push({ check: target.check, path: `/api/push/${token}` });
  }
  return { checks };
}

/**
 * GET /api/services/:name/push — the secret URLs of a service's push checks, for operators (the
 * URL is the job's credential, so readers and share links do not see it).
 */
export function pushRoutes(deps: {
  live: LiveState;
  pushPaths: (service: string) => PushUrlsResponse;
}): Route[] {
  return [
    {
      method: "GET",
      path: "/api/services/:name/push",
      permission: "act",
      doc: {
        summary: "Push (heartbeat) URLs of a service's push checks",
        tag: "services",
        responses: { 200: PushUrlsResponse, ...ERRORS },
      },
      handle: async ({ params }) => {
        const name = params.name ?? "";
        if (!deps.live.views(name)[0]) throw new HttpError("not_found", `no service named "${name}"`, "name");
        return { body: deps.pushPaths(name) };
      },
    },
  ];
}
