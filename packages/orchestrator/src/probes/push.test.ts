import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import { HeartbeatStore } from "./push/heartbeats.ts";
import { pushTargets, pushToken } from "./push/token.ts";
import { human, judgePush, PushCheck } from "./push.ts";
import { runCheck } from "./run.ts";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const MIN = 60_000;

/** A store whose clock the test moves. */
function clockedStore(start = T0) {
  let now = start;
  const store = new HeartbeatStore(() => new Date(now));
  return { store, at: (ms: number) => (now = ms) };
}

describe("push check parsing", () => {
  it("needs exactly one of period and schedule, a valid cron and time zone", () => {
    expect(PushCheck.parse({ kind: "push", period: "1h" })).toMatchObject({
      period: 3_600_000,
      grace: 300_000,
    });
    expect(PushCheck.parse({ kind: "push", schedule: "0 3 * * *", timezone: "Europe/Berlin" }).timezone).toBe(
      "Europe/Berlin",
    );
    const messages = (input: Record<string, unknown>) =>
      PushCheck.safeParse({ kind: "push", ...input }).error?.issues.map((i) => i.message);
    expect(messages({})).toEqual(["set exactly one of period and schedule"]);
    expect(messages({ period: "1h", schedule: "* * * * *" })).toEqual([
      "set exactly one of period and schedule",
    ]);
    expect(messages({ schedule: "every day" })).toEqual(['not a cron expression (use e.g. "0 3 * * *")']);
    expect(messages({ schedule: "0 3 * * *", timezone: "Mars/Olympus" })).toEqual([
      "unknown time zone (use an IANA name like Europe/Berlin)",
    ]);
  });
});

describe("push result mapping (fixed clock)", () => {
  const hourly = PushCheck.parse({ kind: "push", period: "1h", grace: "5m" });

  it("waits for a first ping, then is late one period plus grace after watching began", () => {
    const { store } = clockedStore();
    expect(judgePush(hourly, undefined, T0 + 30 * MIN, T0).message).toBe("waiting for the first ping");
    const late = judgePush(hourly, store.get("s", "c"), T0 + 66 * MIN, T0);
    expect(late).toMatchObject({ status: "unhealthy" });
    expect(late.message).toBe("late: no ping since 2026-11-30T12:00:00.000Z, expected every 1h (+5m grace)");
  });

  it("records run durations from start to success and reports them as duration_ms", () => {
    const { store, at } = clockedStore();
    store.record("s", "c", { kind: "start" });
    at(T0 + 90_000);
    const state = store.record("s", "c", { kind: "success" });
    expect(state.lastDurationMs).toBe(90_000);
    const ok = judgePush(hourly, state, T0 + 10 * MIN, T0);
    expect(ok).toMatchObject({ status: "healthy", values: { duration_ms: 90_000 } });
    expect(ok.message).toBe("last success at 2026-11-30T12:01:30.000Z (took 1m30s)");
    // A success without a start has no duration.
    at(T0 + 20 * MIN);
    expect(store.record("s", "c", { kind: "success" }).lastDurationMs).toBeUndefined();
    expect(judgePush(hourly, store.get("s", "c"), T0 + 86 * MIN, T0).status).toBe("unhealthy");
  });

  it("is unhealthy after a fail (exit code, last log line) until the next success", () => {
    const { store, at } = clockedStore();
    store.record("s", "c", { kind: "fail", exitCode: 3, body: "dumping db\nerror: disk full\n" });
    const failed = judgePush(hourly, store.get("s", "c"), T0 + MIN, T0);
    expect(failed.message).toBe(
      "last run failed with exit code 3 at 2026-11-30T12:00:00.000Z: error: disk full",
    );
    at(T0 + 2 * MIN);
    store.record("s", "c", { kind: "success" });
    expect(judgePush(hourly, store.get("s", "c"), T0 + 3 * MIN, T0).status).toBe("healthy");
  });

  it("is healthy while a started run is within grace, unhealthy once it overruns", () => {
    const { store } = clockedStore();
    store.record("s", "c", { kind: "start" });
    expect(judgePush(hourly, store.get("s", "c"), T0 + MIN, T0).message).toBe(
      "running since 2026-11-30T12:00:00.000Z",
    );
    expect(judgePush(hourly, store.get("s", "c"), T0 + 6 * MIN, T0).message).toBe(
      "started at 2026-11-30T12:00:00.000Z, not finished within the grace of 5m",
    );
  });

  it("with a cron schedule in a time zone, a slot whose grace passed without a report is late", () => {
    // 03:00 in Berlin is 02:00 UTC in winter.
    const nightly = PushCheck.parse({
      kind: "push",
      schedule: "0 3 * * *",
      timezone: "Europe/Berlin",
      grace: "10m",
    });
    const watchStart = Date.UTC(2026, 10, 29, 12);
    const slot = Date.UTC(2026, 10, 30, 2);
    expect(judgePush(nightly, undefined, slot + 5 * MIN, watchStart).status).toBe("healthy");
    const missed = judgePush(nightly, undefined, slot + 11 * MIN, watchStart);
    expect(missed.message).toBe(
      "late: the run due at 2026-11-30T02:00:00.000Z (0 3 * * * Europe/Berlin) has not reported",
    );
    const { store } = clockedStore(slot + 2 * MIN);
    store.record("s", "c", { kind: "success" });
    expect(judgePush(nightly, store.get("s", "c"), slot + 11 * MIN, watchStart).status).toBe("healthy");
    // A slot before watching began is not held against the job.
    expect(judgePush(nightly, undefined, slot + 11 * MIN, slot + 5 * MIN).status).toBe("healthy");
  });

  it("formats durations", () => {
    expect([human(1500), human(90_000), human(300_000), human(90_061_000)]).toEqual([
      "1.5s",
      "1m30s",
      "5m",
      "1d1h1m1s",
    ]);
  });
});

describe("push tokens", () => {
  it("are derived per service and check, stable for a key and different across keys", () => {
    const a = pushToken("k1", "backup", "push");
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pushToken("k1", "backup", "push")).toBe(a);
    expect(pushToken("k2", "backup", "push")).not.toBe(a);
    expect(pushToken("k1", "backup", "push-2")).not.toBe(a);
    const config = ConfigSchema.parse({
      services: {
        backup: {
          kind: "external",
          checks: [
            { kind: "push", period: "1d" },
            { kind: "tcp", port: 1 },
          ],
        },
      },
    });
    expect([...pushTargets(config, "k1")]).toEqual([[a, { service: "backup", check: "push" }]]);
  });
});

describe("push probe through runCheck", () => {
  it("reads the heartbeat store it is given and says so when there is none", async () => {
    const { store } = clockedStore(Date.now());
    const spec = PushCheck.parse({ kind: "push", period: "1h" });
    store.record("backup", "nightly", { kind: "fail", exitCode: 1 });
    const failed = await runCheck(spec, {
      timeoutMs: 1000,
      service: "backup",
      check: "nightly",
      heartbeats: store,
    });
    expect(failed).toMatchObject({ status: "unhealthy" });
    expect(failed.message).toContain("last run failed with exit code 1");
    const alone = await runCheck(spec, { timeoutMs: 1000 });
    expect(alone.message).toBe("push checks need the Vigil server (it receives the pings)");
  });
});
