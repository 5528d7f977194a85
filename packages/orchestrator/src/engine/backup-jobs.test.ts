import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertDecider } from "../alerting/decide/decider.ts";
import { alertServices } from "../alerting/decide/policy.ts";
import { MaintenanceCalendar } from "../alerting/maintenance.ts";
import { parseConfigText } from "../config/parse.ts";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { listCopies } from "../jobs/backup/copies.ts";
import { tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { createEngine, type Engine } from "./engine.ts";

/*
 * A backup job and its restore drill through the whole engine, on the real Postgres: a corrupted
 * dump fails the drill, the drill job goes unhealthy, and the alert decisions send a trigger for it.
 */

const db = `vigil_bkeng_${process.pid}_${Date.now()}`;
let root: string;
let engine: Engine | undefined;

async function admin(text: string, database = "postgres"): Promise<void> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}` });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-bkeng-"));
  await admin(`CREATE DATABASE ${db}`);
  await admin("CREATE TABLE orders (id int); INSERT INTO orders SELECT generate_series(1, 42)", db);
});

afterAll(async () => {
  await engine?.close({ stopServices: true }).catch(() => undefined);
  await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  rmSync(root, { recursive: true, force: true });
});

const YAML = (dir: string) => `
project: bkeng${process.pid}
services:
  db-backup:
    kind: job
    schedule: "0 3 * * *"
    backup: { type: postgres, url: "postgres://postgres@127.0.0.1:5432/${db}", destination: ${dir}, retention: { keep_days: 30, keep_copies: 5 } }
  db-drill:
    kind: job
    schedule: "0 4 * * *"
    drill: { of: db-backup, check: "SELECT count(*) FROM orders", expect: { equals: "42" } }
alerting:
  public_url: https://vigil.example.com/
  channels:
    hook: { kind: webhook, url: "http://127.0.0.1:9/hook" }
  routes:
    - { name: all, channels: [hook] }
`;

describe("backup and restore drill jobs in the engine (real Postgres)", () => {
  it("a good backup drills green; a corrupted one turns the drill job unhealthy and alerts", async () => {
    const dir = join(root, "backups");
    const { config } = parseConfigText(YAML(dir), join(root, "vigil.yaml"));
    const events: EngineEvent[] = [];
    engine = createEngine({ config, stateDir: tempStateDir(), onEvent: (e) => events.push(e) });
    await engine.ready;
    const status = (name: string) => engine?.snapshot().find((s) => s.name === name);

    expect(await engine.jobs.runNow("db-backup", "alice").done).toMatchObject({ outcome: "succeeded" });
    expect(await engine.jobs.runNow("db-drill", "alice").done).toMatchObject({ outcome: "succeeded" });
    expect(status("db-drill")).toMatchObject({ status: "healthy" });
    expect((await listCopies(dir, "db-backup"))[0]?.drill).toMatchObject({ passed: true, by: "db-drill" });

    expect(await engine.jobs.runNow("db-backup", "schedule").done).toMatchObject({ outcome: "succeeded" });
    const [newest] = await listCopies(dir, "db-backup");
    const bytes = readFileSync(newest?.path ?? "");
    writeFileSync(newest?.path ?? "", bytes.subarray(0, Math.floor(bytes.length / 2)));
    const drilled = await engine.jobs.runNow("db-drill", "schedule").done;
    expect(drilled).toMatchObject({ outcome: "failed", exitCode: 1 });
    expect(status("db-drill")).toMatchObject({ status: "unhealthy" });
    expect(status("db-drill")?.reason).toMatch(/failed: exit code 1/);
    expect((await listCopies(dir, "db-backup"))[0]?.drill).toMatchObject({ passed: false });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "service.status", service: "db-drill", to: "unhealthy" }),
    );

    // The alert decisions, fed the engine's statuses, send a trigger for the red drill job.
    const decider = new AlertDecider({
      services: alertServices(config),
      routes: config.alerting.routes,
      publicUrl: config.alerting.public_url,
      calendar: new MaintenanceCalendar(config.alerting.maintenance),
      newId: () => "n1",
    });
    const observed = engine
      .snapshot()
      .map((s) => ({ service: s.name, status: s.status, reason: s.reason, blockedBy: [] }));
    const decisions = decider.handle({ type: "status", at: Date.now(), services: observed });
    expect(
      decisions.map((d) => [d.notification.event, d.notification.rootCause.service, d.channels]),
    ).toEqual([["trigger", "db-drill", ["hook"]]]);
  });
});

describe("job task config", () => {
  const issues = (job: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const r = ConfigSchema.safeParse({
      services: { j: { kind: "job", schedule: "0 3 * * *", ...job }, ...extra },
    });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("takes exactly one of command, image, backup or drill", () => {
    expect(issues({})).toEqual([
      "services.j.command: a job runs one of command, image, backup or drill (none given)",
    ]);
    expect(issues({ command: "true", backup: { type: "redis", destination: "/b" } })).toEqual([
      "services.j.backup: a job runs one of command, image, backup or drill (got command and backup)",
    ]);
    expect(issues({ image: "vigil/busybox:1", command: "echo hi", volumes: ["/data:/data:ro"] })).toEqual([]);
    expect(issues({ command: "true", network: "host" })).toEqual([
      "services.j.image: volumes and network need image",
    ]);
    expect(issues({ backup: { type: "postgres", destination: "/b" } })).toEqual([
      "services.j.backup.url: a postgres backup needs url or database",
    ]);
    expect(issues({ backup: { type: "files", destination: "/b" } })).toEqual([
      "services.j.backup.paths: a files backup needs paths or volume (one of them)",
    ]);
  });

  it("says where a drill names something that is not a postgres backup job", () => {
    const text = (of: string) => `
services:
  cache: { kind: job, schedule: "0 3 * * *", backup: { type: redis, destination: /b } }
  d: { kind: job, schedule: "0 3 * * *", drill: { of: ${of}, check: "SELECT 1" } }
`;
    expect(() => parseConfigText(text("nope"), "vigil.yaml")).toThrow(
      /vigil\.yaml:4:\d+: services\.d\.drill\.of: unknown job "nope"/,
    );
    expect(() => parseConfigText(text("cache"), "vigil.yaml")).toThrow(
      /a drill restores postgres backups only/,
    );
  });
});
