import { Ok } from "../../lib/auth-contract.ts";
import { ErrorBody } from "../../lib/contract.ts";
import { CreateHook, HookCreated, HooksResponse } from "../../lib/tokens-contract.ts";
import { isHttps } from "../auth/cookies.ts";
import type { LiveState } from "../live/state.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { Route } from "../rest/router.ts";
import type { DeployHooks } from "./hooks.ts";

/** Managing deploy hooks (operators): create (URL and secret shown once), list, revoke. */
export function hookRoutes(hooks: DeployHooks, live: LiveState, trustProxy: boolean): Route[] {
  const ERR = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } as const;
  return [
    {
      method: "GET",
      path: "/api/hooks",
      permission: "act",
      doc: { summary: "Deploy hooks", tag: "hooks", responses: { 200: HooksResponse, ...ERR } },
      handle: async () => ({ body: { hooks: await hooks.list() } }),
    },
    {
      method: "POST",
      path: "/api/hooks",
      permission: "act",
      doc: {
        summary: "Create a deploy hook; the answer is the only time its secret is shown",
        tag: "hooks",
        body: CreateHook,
        responses: { 201: HookCreated, ...ERR },
      },
      handle: async ({ body, principal, req }) => {
        const q = parseInput(CreateHook, body ?? {});
        if (live.config.services[q.service] === undefined)
          throw new HttpError("bad_request", `service: unknown service "${q.service}"`, "service");
        const { view, secret } = await hooks.create({ ...q, createdBy: principal?.name ?? "anonymous" });
        // The URL as this request reached Vigil (behind a trusted proxy: as the proxy was reached).
        const forwarded = trustProxy
          ? String(req.headers["x-forwarded-host"] ?? "")
              .split(",")[0]
              ?.trim()
          : "";
        const host = forwarded || req.headers.host || "localhost";
        const scheme = isHttps(req, trustProxy) ? "https" : "http";
        const created: HookCreated = { ...view, secret, url: `${scheme}://${host}/hooks/${view.id}` };
        return { status: 201, body: created };
      },
    },
    {
      method: "POST",
      path: "/api/hooks/:id/revoke",
      permission: "act",
      doc: { summary: "Revoke a deploy hook", tag: "hooks", responses: { 200: Ok, ...ERR } },
      handle: async ({ params }) => {
        const id = params.id ?? "";
        if (!/^[0-9a-f-]{36}$/i.test(id) || !(await hooks.revoke(id)))
          throw new HttpError("not_found", "no such live hook", "id");
        return { body: { ok: true } };
      },
    },
  ];
}
