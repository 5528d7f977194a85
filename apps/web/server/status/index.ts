import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceSnapshot } from "@vigil/orchestrator";
import type { Sql } from "../auth/sql.ts";
import { newToken } from "../auth/tokens.ts";
import type { StorePort } from "../ports.ts";
import { createReports } from "../reports/index.ts";
import type { Route } from "../rest/router.ts";
import type { ServiceState } from "./components.ts";
import { storeData } from "./data.ts";
import { createPublicHandler } from "./public-http.ts";
import { statusRoutes } from "./routes.ts";
import { PublicSite } from "./site.ts";
import { StatusStore } from "./store.ts";

export interface StatusPagesOptions {
  sql: Sql;
  history: StorePort;
  snapshot: () => ServiceSnapshot[];
  /** The server's persistent secret store (auth's); a per-process secret without it. */
  secret?: (key: string, fresh: string) => Promise<string>;
  /** VIGIL_TRUST_PROXY: proxies in front of Vigil (see auth/client-ip.ts). */
  proxyHops: number;
  /** Requests per minute per client address on public routes. */
  perMinute: number;
  /** The clock of caches and bars (tests move it past the TTLs). */
  now?: () => Date;
}

export interface StatusPages {
  store: StatusStore;
  routes: Route[];
  /** In front of the router: true when it answered a public status, badge, report or custom-domain request. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

/** The fewest `days_remaining` any check of the service last reported (tls, https checks). */
function certDays(s: ServiceSnapshot): number | null {
  const days = s.checks.flatMap((c) => {
    const v = c.last?.values?.days_remaining;
    return typeof v === "number" && Number.isFinite(v) ? [v] : [];
  });
  return days.length > 0 ? Math.min(...days) : null;
}

/** Status pages, notices, badges: the operators' routes and the public handler over one store. */
export function createStatusPages(opts: StatusPagesOptions): StatusPages {
  const store = new StatusStore(opts.sql);
  // Under 500 concurrent clients the engine's snapshot is mapped once per second, not per request.
  let memo: { at: number; list: ServiceState[] } = { at: 0, list: [] };
  const services = (): ServiceState[] => {
    const now = Date.now();
    if (now - memo.at >= 1000) {
      memo = {
        at: now,
        list: opts
          .snapshot()
          .map((s) => ({ name: s.name, group: s.group, status: s.status, certDays: certDays(s) })),
      };
    }
    return memo.list;
  };
  const data = storeData(opts.history, services);
  const site = new PublicSite(store, data, opts.now);
  let secret: Promise<string> | undefined;
  const secretOnce = () => {
    secret ??= opts.secret ? opts.secret("status_pages", newToken(48)) : Promise.resolve(newToken(48));
    return secret;
  };
  const reports = createReports({
    sql: opts.sql,
    status: store,
    services,
    secret: secretOnce,
    perMinute: opts.perMinute,
    proxyHops: opts.proxyHops,
  });
  const pages = createPublicHandler({
    store,
    site,
    data,
    secret: secretOnce,
    proxyHops: opts.proxyHops,
    perMinute: opts.perMinute,
    now: opts.now,
  });
  return {
    store,
    routes: [...statusRoutes({ sql: opts.sql, store, services }), ...reports.routes],
    handle: async (req, res) => (await pages(req, res)) || reports.handle(req, res),
  };
}
