import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { ErrorBody } from "../../lib/contract.ts";
import { clientIp, rateKey } from "../auth/client-ip.ts";
import { ROUTE_RULES, ruleKey } from "../auth/permissions.ts";
import type { Sql } from "../auth/sql.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { Route } from "../rest/router.ts";
import { IpLimiter } from "../status/cache.ts";
import type { ServiceState } from "../status/components.ts";
import type { StatusStore } from "../status/store.ts";
import { computeReport, type Report, reportCsv } from "./compute.ts";
import { renderReport } from "./html.ts";
import { ReportQuery, reportRange } from "./range.ts";
import { signReport, verifyReport } from "./share.ts";
import { reportInput, type Subject } from "./source.ts";

const ShareReport = z.object({
  kind: z.enum(["service", "group"]),
  target: z.string().min(1).max(200),
  month: ReportQuery.shape.month,
  from: ReportQuery.shape.from,
  to: ReportQuery.shape.to,
  slo: z.number().min(50).max(100).default(99.9),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
});
const SHARED_PATH = /^\/report\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+?)(\.csv|\.json)?$/;
const Any = z.unknown();

export interface ReportsOptions {
  sql: Sql;
  status: StatusStore;
  services: () => readonly ServiceState[];
  secret: () => Promise<string>;
  perMinute: number;
  /** VIGIL_TRUST_PROXY: proxies in front of Vigil (see auth/client-ip.ts). */
  proxyHops: number;
}

/** Uptime reports: the operators' JSON/CSV route, signed share links and the shared page. */
export function createReports(opts: ReportsOptions) {
  const limiter = new IpLimiter({ perMinute: opts.perMinute, maxKeys: 50_000 });
  const build = async (subject: Subject, range: { from: Date; to: Date }, slo: number): Promise<Report> => {
    const services = opts.services();
    const known =
      subject.kind === "service"
        ? services.some((s) => s.name === subject.target)
        : services.some((s) => s.group === subject.target);
    if (!known)
      throw new HttpError("bad_request", `target: unknown ${subject.kind} "${subject.target}"`, "target");
    return computeReport(
      await reportInput({ sql: opts.sql, status: opts.status, services: opts.services }, subject, {
        ...range,
        slo,
      }),
    );
  };

  const routes: Omit<Route, "permission">[] = [
    {
      method: "GET",
      path: "/api/reports",
      doc: {
        summary: "Uptime report of a service or group (JSON or CSV)",
        tag: "reports",
        query: ReportQuery,
        responses: { 200: Any, 400: ErrorBody },
      },
      handle: async ({ query }) => {
        const q = parseInput(ReportQuery, query);
        const report = await build(q, reportRange(q), q.slo / 100);
        if (q.format === "csv")
          return { body: reportCsv(`${q.kind}:${q.target}`, report), contentType: "text/csv; charset=utf-8" };
        return { body: { kind: q.kind, target: q.target, report } };
      },
    },
    {
      method: "POST",
      path: "/api/reports/share",
      doc: {
        summary: "A signed, expiring link to one report",
        tag: "reports",
        body: ShareReport,
        responses: { 201: Any, 400: ErrorBody },
      },
      handle: async ({ body }) => {
        const q = parseInput(ShareReport, body ?? {});
        const range = reportRange(q);
        await build(q, range, q.slo / 100);
        const expiresAt = new Date(Date.now() + q.expiresInHours * 3_600_000);
        const token = signReport(await opts.secret(), {
          v: 1,
          k: q.kind,
          t: q.target,
          f: range.from.getTime(),
          to: range.to.getTime(),
          slo: q.slo / 100,
          e: expiresAt.getTime(),
        });
        return { status: 201, body: { url: `/report/${token}`, expiresAt: expiresAt.toISOString() } };
      },
    },
  ];

  /** In front of the router: true when it answered a shared report. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const m = SHARED_PATH.exec((req.url ?? "/").split("?")[0] ?? "/");
    if (!m) return false;
    const ip = rateKey(clientIp(req, opts.proxyHops));
    const wait = limiter.take(ip);
    const plain = (status: number, text: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        ...extra,
      });
      res.end(text);
    };
    if (wait > 0) {
      plain(429, "too many requests", { "retry-after": String(wait) });
      return true;
    }
    const share = verifyReport(await opts.secret(), m[1] ?? "", new Date());
    if (!share) {
      plain(404, "no such report, or the link expired");
      return true;
    }
    const subject = `${share.k} ${share.t}`;
    const report = await build(
      { kind: share.k, target: share.t },
      { from: new Date(share.f), to: new Date(share.to) },
      share.slo,
    );
    const [type, body] =
      m[2] === ".csv"
        ? ["text/csv; charset=utf-8", reportCsv(subject, report)]
        : m[2] === ".json"
          ? ["application/json; charset=utf-8", JSON.stringify({ kind: share.k, target: share.t, report })]
          : ["text/html; charset=utf-8", renderReport(subject, report, `/report/${m[1]}.csv`)];
    res.writeHead(200, {
      "content-type": type,
      "cache-control": "private, max-age=60",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    });
    res.end(body);
    return true;
  }

  return {
    routes: routes.map(
      (r): Route => ({ ...r, permission: ROUTE_RULES[ruleKey(r.method, r.path)]?.need ?? "admin" }),
    ),
    handle,
  };
}
