import { z } from "zod";
import { ReadyResponse } from "../../lib/contract.ts";
import type { VigilMetrics } from "../metrics.ts";
import { openApiDocument } from "./openapi.ts";
import type { Route } from "./router.ts";

/** Readiness of the parts /readyz waits for; the composition root flips them. */
export interface Readiness {
  config: boolean;
  engine: boolean;
  /** True when Next is prepared, or when the server runs without Next (tests, API-only). */
  next: boolean;
  store: boolean;
}

export function readinessReason(r: Readiness): string | null {
  const missing = (Object.keys(r) as (keyof Readiness)[]).filter((k) => !r[k]);
  return missing.length === 0 ? null : `waiting for ${missing.join(", ")}`;
}

export function systemRoutes(opts: {
  metrics: VigilMetrics;
  readiness: Readiness;
  routes: () => Route[];
  version: string;
}): Route[] {
  let doc: unknown;
  return [
    {
      method: "GET",
      path: "/healthz",
      permission: "read",
      doc: { summary: "The process is alive", tag: "system", responses: { 200: ReadyResponse } },
      handle: async () => ({ body: { ready: true, reason: null } }),
    },
    {
      method: "GET",
      path: "/readyz",
      permission: "read",
      doc: {
        summary: "Config, engine, Next and store are up (store may be buffering)",
        tag: "system",
        responses: { 200: ReadyResponse, 503: ReadyResponse },
      },
      handle: async () => {
        const reason = readinessReason(opts.readiness);
        return { status: reason ? 503 : 200, body: { ready: reason === null, reason } };
      },
    },
    {
      method: "GET",
      path: "/metrics",
      permission: "metrics",
      doc: { summary: "Prometheus metrics", tag: "system", responses: { 200: null } },
      handle: async () => ({
        body: await opts.metrics.text(),
        contentType: opts.metrics.registry.contentType,
      }),
    },
    {
      method: "GET",
      path: "/api/openapi.json",
      permission: "read",
      doc: { summary: "This document", tag: "system", responses: { 200: z.record(z.string(), z.unknown()) } },
      handle: async () => {
        doc ??= openApiDocument(opts.routes(), { version: opts.version });
        return { body: doc };
      },
    },
  ];
}
