import { BUCKETS } from "@vigil/db";
import { rows, type Sql } from "../auth/sql.ts";
import { membersOf, type ServiceState } from "../status/components.ts";
import type { StatusStore } from "../status/store.ts";
import type { ReportInput, Span } from "./compute.ts";

const DAY = 86_400_000;
/** How far back a down period may have opened and still overlap the report. */
const LOOKBACK_MS = 30 * DAY;

export interface Subject {
  kind: "service" | "group";
  target: string;
}

/**
 * The report's inputs from Postgres: down periods from the services' transitions (a group is down
 * while any of its services is unhealthy), maintenance notices of status pages covering them, and
 * the latency histograms of the rollups (minute rollups up to 3 days, hour beyond).
 */
export async function reportInput(
  deps: { sql: Sql; status: StatusStore; services: () => readonly ServiceState[] },
  subject: Subject,
  range: { from: Date; to: Date; slo: number },
): Promise<ReportInput> {
  const members = membersOf({ kind: subject.kind, ref: subject.target }, deps.services());
  const names = members.map((m) => m.name);
  const transitions = await rows<{ service: string; to: string | null; at: Date }>(
    deps.sql,
    `select service, "to", at from events
     where type = 'transition' and service = any($1::text[]) and at >= $2 and at < $3
     order by service, at, id`,
    [names, new Date(range.from.getTime() - LOOKBACK_MS), range.to],
  );
  const down: Span[] = [];
  const open = new Map<string, Span>();
  for (const t of transitions) {
    const cur = open.get(t.service);
    if (t.to === "unhealthy" && !cur) {
      const span: Span = { from: t.at, to: null };
      open.set(t.service, span);
      down.push(span);
    } else if (t.to !== "unhealthy" && cur) {
      cur.to = t.at;
      open.delete(t.service);
    }
  }

  const groups = new Set(members.map((m) => m.group));
  const maintenance = (await deps.status.maintenance(range.from, range.to))
    .filter(({ page, notice }) =>
      page.components.some(
        (c) =>
          notice.components.includes(c.id) &&
          ((c.kind === "service" && names.includes(c.ref)) || (c.kind === "group" && groups.has(c.ref))),
      ),
    )
    .map(({ notice }) => ({ from: notice.startsAt, to: notice.endsAt }));

  const table = range.to.getTime() - range.from.getTime() <= 3 * DAY ? "rollup_minute" : "rollup_hour";
  const hists = await rows<{ hist: number[] | null; min: number | null; max: number | null }>(
    deps.sql,
    `select hist, min, max from ${table} where service = any($1::text[]) and bucket >= $2 and bucket < $3`,
    [names, range.from, range.to],
  );
  const hist = new Array<number>(BUCKETS).fill(0);
  let min: number | null = null;
  let max: number | null = null;
  for (const h of hists) {
    for (const [i, n] of (h.hist ?? []).entries()) if (i < BUCKETS) hist[i] = (hist[i] ?? 0) + n;
    if (h.min !== null) min = min === null ? h.min : Math.min(min, h.min);
    if (h.max !== null) max = max === null ? h.max : Math.max(max, h.max);
  }
  return { ...range, down, maintenance, latency: { hist, min, max } };
}
