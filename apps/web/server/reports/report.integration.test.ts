import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "../startup/database.ts";
import { findRepoRoot } from "../startup/paths.ts";
import { StatusStore } from "../status/store.ts";
import { computeReport, reportCsv } from "./compute.ts";
import { reportRange } from "./range.ts";
import { reportInput } from "./source.ts";

/*
 * A month's report over history seeded into a real (throwaway) Postgres: two outages (one opened
 * the month before), a maintenance window posted on a status page, and latency rollups. Every
 * figure below is worked out by hand in the comments.
 */

let tdb: TestDatabase;
let database: OpenDatabase;
let pool: OpenDatabase["sql"];
const services = () => [
  { name: "api", group: "core", status: "healthy" as const },
  { name: "other", group: "misc", status: "healthy" as const },
];

beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
  const root = findRepoRoot(import.meta.dirname) ?? "";
  database = await openDatabase({
    databaseUrl: tdb.url,
    dataDir: join(root, ".vigil", "unused"),
    migrationsDir: join(root, "prisma", "migrations"),
    log: () => undefined,
  });
  pool = database.sql;
  const ev = (service: string, to: string, at: string) =>
    pool.query(
      `insert into events (uid, type, service, "from", "to", reason, at) values (gen_random_uuid(), 'transition', $1, null, $2, 'secret', $3)`,
      [service, to, at],
    );
  // Outage 1: Sep 30 23:50 → Oct 1 00:20, 20 minutes of it in October.
  await ev("api", "unhealthy", "2026-09-30T23:50:00Z");
  await ev("api", "healthy", "2026-10-01T00:20:00Z");
  // Outage 2: Oct 10 10:00 → 11:30 (90 min); maintenance Oct 10 11:00 → 12:00 covers 30 min of it.
  await ev("api", "unhealthy", "2026-10-10T10:00:00Z");
  await ev("api", "healthy", "2026-10-10T11:30:00Z");
  // Another service's outage must not count.
  await ev("other", "unhealthy", "2026-10-05T00:00:00Z");
  await ev("other", "healthy", "2026-10-06T00:00:00Z");
  // Latency: 90 results at 10 ms, 10 at 1000 ms.
  const hist = (bucket: number, n: number) => {
    const h = new Array<number>(66).fill(0);
    h[bucket] = n;
    return h;
  };
  await pool.query(
    `insert into rollup_hour (service, "check", bucket, count, failures, min, max, sum, hist) values
     ('api', 'http', '2026-10-03T00:00:00Z', 90, 0, 10, 10, 900, $1), ('api', 'http', '2026-10-04T00:00:00Z', 10, 0, 1000, 1000, 10000, $2)`,
    [hist(14, 90), hist(40, 10)],
  );
});

afterAll(async () => {
  await database?.close(5000);
  await tdb?.drop();
});

describe("uptime report", () => {
  it("gives the hand-computed figures for October with an outage and a maintenance window", async () => {
    const status = new StatusStore(pool);
    const page = await status.createPage(
      {
        slug: "p",
        title: "P",
        description: "",
        logoUrl: null,
        customDomain: null,
        components: [{ id: "core", kind: "group", ref: "core", name: "Core" }],
      },
      "op",
    );
    if (!page) throw new Error("page not created");
    await status.createNotice(
      page.id,
      {
        kind: "maintenance",
        title: "Upgrade",
        incidentId: null,
        components: ["core"],
        startsAt: new Date("2026-10-10T11:00:00Z"),
        endsAt: new Date("2026-10-10T12:00:00Z"),
      },
      { status: "scheduled", body: "DB upgrade", createdBy: "op" },
    );

    const range = reportRange({ month: "2026-10" });
    const input = await reportInput(
      { sql: pool, status, services },
      { kind: "service", target: "api" },
      { ...range, slo: 0.999 },
    );
    const r = computeReport(input);
    // October: 31 × 1440 = 44,640 min. Down 20 + 90 = 110 min, 30 of them inside maintenance.
    expect(r.rangeMinutes).toBe(44_640);
    expect(r.maintenanceMinutes).toBe(60);
    expect(r.downtimeMinutes).toBe(80);
    expect(r.downtimeInMaintenanceMinutes).toBe(30);
    expect(r.availability).toBeCloseTo(1 - 110 / 44_640, 12); // 99.7536 %
    // Without maintenance: 80 min down over 44,640 − 60 = 44,580 min.
    expect(r.availabilityExcludingMaintenance).toBeCloseTo(1 - 80 / 44_580, 12); // 99.8205 %
    // Budget at 99.9 %: 0.1 % of 44,580 = 44.58 min; 80 used → 35.42 min over.
    expect(r.errorBudgetMinutes).toBeCloseTo(44.58, 9);
    expect(r.errorBudgetLeftMinutes).toBeCloseTo(-35.42, 9);
    expect(r.incidents).toEqual([
      { from: "2026-10-01T00:00:00.000Z", to: "2026-10-01T00:20:00.000Z", durationMinutes: 20 },
      { from: "2026-10-10T10:00:00.000Z", to: "2026-10-10T11:30:00.000Z", durationMinutes: 90 },
    ]);
    // p50 falls in the 10 ms bucket [2^(13/4), 2^(14/4)): its geometric middle 2^(27/8) ≈ 10.37 ms;
    // p95/p99 in the 1000 ms bucket [2^(39/4), 2^10): 2^(79/8) ≈ 939 ms (under the max, 1000).
    expect(r.latencyMs.p50).toBeCloseTo(2 ** (27 / 8), 9);
    expect(r.latencyMs.p95).toBeCloseTo(2 ** (79 / 8), 9);
    expect(r.latencyMs.p99).toBeCloseTo(2 ** (79 / 8), 9);

    const csv = reportCsv("service:api", r).split("\r\n");
    expect(csv[1]).toContain('"80","60","44.58');
    expect(csv[4]).toBe('"2026-10-01T00:00:00.000Z","2026-10-01T00:20:00.000Z","20"');
  });

  it("a group without maintenance counts all its downtime", async () => {
    const range = reportRange({ from: "2026-10-05T00:00:00Z", to: "2026-10-07T00:00:00Z" });
    const status = new StatusStore(pool);
    const r = computeReport(
      await reportInput(
        { sql: pool, status, services },
        { kind: "group", target: "misc" },
        { ...range, slo: 0.99 },
      ),
    );
    // 24 h down out of 48 h.
    expect(r.downtimeMinutes).toBe(1440);
    expect(r.availability).toBe(0.5);
    expect(r.errorBudgetMinutes).toBeCloseTo(28.8, 9);
  });
});
