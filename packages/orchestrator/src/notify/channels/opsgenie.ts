/*
 * Opsgenie Alert API v2: create with alias = incident key, acknowledge and close by alias.
 * https://docs.opsgenie.com/docs/alert-api (create: POST /v2/alerts; message ≤ 130, alias ≤ 512,
 * description ≤ 15000 characters; priority P1-P5)
 * https://docs.opsgenie.com/docs/alert-api#close-alert and #acknowledge-alert
 * (POST /v2/alerts/{identifier}/close?identifierType=alias)
 * Auth: `Authorization: GenieKey <api key>`; EU accounts use https://api.eu.opsgenie.com.
 * Answers: 202 {"result":"Request will be processed","requestId"}; 401/403/422; 429; 5xx.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { httpUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { clip, plainText } from "../support/message.ts";
import type { Notification, Severity } from "../types.ts";

const REGIONS = { us: "https://api.opsgenie.com", eu: "https://api.eu.opsgenie.com" } as const;

export const OpsgenieConfig = z
  .object({
    kind: z.literal("opsgenie"),
    api_key: z.string().min(1),
    region: z.enum(["us", "eu"]).default("us"),
    /** Overrides the region's base URL (tests, proxies). */
    api_url: httpUrl.optional(),
    /** Responders, e.g. [{ type: team, name: ops }]. */
    responders: z
      .array(
        z
          .object({ type: z.enum(["team", "user", "escalation", "schedule"]), name: z.string().min(1) })
          .strict(),
      )
      .default([]),
    tags: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type OpsgenieConfig = z.output<typeof OpsgenieConfig>;

const PRIORITY: Record<Severity, "P1" | "P3" | "P5"> = { critical: "P1", warning: "P3", info: "P5" };

interface OpsgenieRequest {
  path: string;
  body: Record<string, unknown>;
}

/** The documented request for a notification: create for anything that is (still) firing. */
export function opsgenieRequest(config: OpsgenieConfig, n: Notification): OpsgenieRequest {
  const alias = clip(n.event === "test" ? n.id : n.incidentKey, 512);
  const byAlias = (verb: string) => `/v2/alerts/${encodeURIComponent(alias)}/${verb}?identifierType=alias`;
  if (n.event === "resolve") {
    return { path: byAlias("close"), body: { source: "Vigil", note: clip(n.title, 25000) } };
  }
  if (n.event === "acknowledge") {
    const body: Record<string, unknown> = { source: "Vigil", note: clip(n.title, 25000) };
    if (n.acknowledgedBy) body.user = clip(n.acknowledgedBy, 100);
    return { path: byAlias("acknowledge"), body };
  }
  const body: Record<string, unknown> = {
    message: clip(n.title, 130),
    alias,
    description: clip(plainText(n), 15000),
    entity: n.rootCause.service,
    source: "Vigil",
    priority: PRIORITY[n.severity],
    tags: [...config.tags, `event:${n.event}`],
    details: {
      reason: clip(n.reason, 8000),
      rootCause: n.rootCause.service,
      blocked: n.affected.join(", "),
      service: n.links.service,
    },
  };
  if (config.responders.length > 0) body.responders = config.responders;
  return { path: "/v2/alerts", body };
}

export const opsgenieBase = (config: OpsgenieConfig): string =>
  (config.api_url ?? REGIONS[config.region]).replace(/\/+$/, "");

export const opsgenieChannel = defineChannel({
  kind: "opsgenie",
  schema: OpsgenieConfig,
  secretFields: ["api_key"],
  send(config, n, ctx) {
    const request = opsgenieRequest(config, n);
    const base = opsgenieBase(config);
    return postJson(`${base}${request.path}`, request.body, ctx, {
      headers: { Authorization: `GenieKey ${config.api_key}` },
    });
  },
});
