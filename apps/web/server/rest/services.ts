import {
  GraphResponse,
  LogsQuery,
  LogsResponse,
  ServiceDetail,
  ServicesResponse,
  type ServiceView,
} from "../../lib/contract.ts";
import type { RestDeps } from "./deps.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { maskEnvValues, seesEnvValues, sharedDetail } from "./service-detail.ts";
import { ERRORS } from "./shared.ts";

export function serviceRoutes(deps: RestDeps): Route[] {
  const { live } = deps;
  const find = (name: string): ServiceView => {
    const view = live.views(name)[0];
    if (!view) throw new HttpError("not_found", `no service named "${name}"`, "name");
    return view;
  };

  return [
    {
      method: "GET",
      path: "/api/services",
      permission: "read",
      doc: {
        summary: "Every service with status, sparkline and uptime",
        tag: "services",
        responses: { 200: ServicesResponse },
      },
      handle: async () => ({ body: live.services() }),
    },
    {
      method: "GET",
      path: "/api/services/:name",
      permission: "read",
      doc: {
        summary:
          "One service: view, redacted config (env values for admins only), dependents, log count; a share link gets name and kind only",
        tag: "services",
        responses: { 200: ServiceDetail, ...ERRORS },
      },
      handle: async ({ params, principal }) => {
        const name = params.name ?? "";
        const service = find(name);
        if (principal?.kind === "share") return { body: sharedDetail(service) };
        const config = { ...(deps.redactedConfig().services[name] ?? {}) };
        const body: ServiceDetail = {
          service,
          config: seesEnvValues(principal) ? config : maskEnvValues(config),
          allDependents: live.engine.graph().dependents(name, { transitive: true }),
          logLines: live.logs.count(name),
        };
        return { body };
      },
    },
    {
      method: "GET",
      path: "/api/services/:name/logs",
      permission: "read",
      doc: {
        summary: "Recent log lines of a service",
        tag: "services",
        query: LogsQuery,
        responses: { 200: LogsResponse, ...ERRORS },
      },
      handle: async ({ params, query }) => {
        const name = params.name ?? "";
        const { lines } = parseInput(LogsQuery, query);
        find(name);
        const body: LogsResponse = { service: name, lines: live.logs.recent(name, lines) };
        return { body };
      },
    },
    {
      method: "GET",
      path: "/api/graph",
      permission: "read",
      doc: {
        summary: "Dependency graph: startup waves and edges",
        tag: "services",
        responses: { 200: GraphResponse },
      },
      handle: async () => {
        const graph = live.engine.graph();
        const body: GraphResponse = { waves: graph.waves(), edges: graph.edges() };
        return { body };
      },
    },
  ];
}
