import { Cron } from "croner";
import { z } from "zod";
import { duration } from "../config/duration.ts";
import type { HeartbeatState } from "./push/heartbeats.ts";
import { checkPolicy } from "./support/policy.ts";
import { verdict } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import type { CheckKindDef, Probe, ProbeResult } from "./types.ts";

export const PUSH_VALUES = {
  duration_ms: { unit: "ms", description: "Run time of the job's last run (start ping to success or fail)." },
} as const;

/** Pings a little before a scheduled time still count for it (clocks of job hosts drift). */
const SKEW_MS = 60_000;

const validCron = (text: string) => {
  try {
    new Cron(text, { paused: true });
    return true;
  } catch {
    return false;
  }
};
const validZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const PushCheck = z
  .strictObject({
    kind: z.literal("push"),
    ...checkPolicy,
    period: duration.optional().describe("The job pings at least this often, e.g. 1h (or use schedule)."),
    schedule: z
      .string()
      .refine(validCron, 'not a cron expression (use e.g. "0 3 * * *")')
      .optional()
      .describe('Cron schedule the job runs on, e.g. "0 3 * * *" (or use period).'),
    timezone: z
      .string()
      .refine(validZone, "unknown time zone (use an IANA name like Europe/Berlin)")
      .default("UTC")
      .describe("Time zone of schedule (IANA name, UTC by default)."),
    grace: duration
      .default(300_000)
      .describe("How late a ping may be, and how long a started run may take, before it counts (5m)."),
    expect: z
      .strictObject({ ...valueConditionFields(PUSH_VALUES) })
      .optional()
      .describe('Conditions on duration_ms, e.g. "<= 600000"; a failing one is degraded.'),
  })
  .refine((spec) => (spec.period === undefined) !== (spec.schedule === undefined), {
    message: "set exactly one of period and schedule",
    path: ["period"],
  })
  .describe("Heartbeat: a job or cron script pings Vigil's secret URL; late or failed runs are unhealthy.");
export type PushCheckSpec = z.output<typeof PushCheck>;

export const pushProbe: Probe<PushCheckSpec> = async (spec, ctx) => {
  if (!ctx.heartbeats || ctx.service === undefined || ctx.check === undefined) {
    return verdict("unhealthy", "push checks need the Vigil server (it receives the pings)");
  }
  const state = ctx.heartbeats.get(ctx.service, ctx.check);
  return judgeValues(
    judgePush(spec, state, Date.now(), ctx.heartbeats.since.getTime()),
    spec.expect,
    "degraded",
  );
};

/** Decides from the pings seen so far; pure, so late, failed and running are unit-tested with fixed times. */
export function judgePush(
  spec: PushCheckSpec,
  state: HeartbeatState | undefined,
  now: number,
  since: number,
): ProbeResult {
  const values = state?.lastDurationMs === undefined ? undefined : { duration_ms: state.lastDurationMs };
  const result = (status: ProbeResult["status"], message: string): ProbeResult => ({
    ...verdict(status, message, { pings: state?.pings ?? 0 }),
    ...(values ? { values } : {}),
  });
  const done = state?.lastDone;
  const start = state?.lastStart;
  const running = start !== undefined && (done === undefined || start > done.at);

  if (done?.kind === "fail") {
    const code = done.exitCode === undefined ? "" : ` with exit code ${done.exitCode}`;
    const tail = lastLine(done.body);
    return result("unhealthy", `last run failed${code} at ${iso(done.at)}${tail ? `: ${tail}` : ""}`);
  }
  if (running && now - start.getTime() > spec.grace) {
    return result(
      "unhealthy",
      `started at ${iso(start)}, not finished within the grace of ${human(spec.grace)}`,
    );
  }
  const lastAt = done?.at.getTime();
  const late = lateness(spec, lastAt, now, since);
  if (late) return result("unhealthy", late);
  if (running) return result("healthy", `running since ${iso(start)}`);
  if (done === undefined) return result("healthy", "waiting for the first ping");
  const took = values ? ` (took ${human(values.duration_ms)})` : "";
  return result("healthy", `last success at ${iso(done.at)}${took}`);
}

/** Why the job is late, or undefined when it is not (yet). */
function lateness(
  spec: PushCheckSpec,
  lastAt: number | undefined,
  now: number,
  since: number,
): string | undefined {
  if (spec.period !== undefined) {
    const base = lastAt ?? since;
    const deadline = base + spec.period + spec.grace;
    if (now <= deadline) return undefined;
    const last =
      lastAt === undefined
        ? `no ping since ${iso(new Date(since))}`
        : `last ping at ${iso(new Date(lastAt))}`;
    return `late: ${last}, expected every ${human(spec.period)} (+${human(spec.grace)} grace)`;
  }
  // The latest scheduled time whose grace is over: the job must have finished a run since then.
  const cron = new Cron(spec.schedule ?? "", { paused: true, timezone: spec.timezone });
  const [due] = cron.previousRuns(1, new Date(now - spec.grace));
  if (due === undefined || due.getTime() < since) return undefined;
  if (lastAt !== undefined && lastAt >= due.getTime() - SKEW_MS) return undefined;
  return `late: the run due at ${iso(due)} (${spec.schedule} ${spec.timezone}) has not reported`;
}

const iso = (at: Date) => at.toISOString();

function lastLine(body: string | undefined): string {
  const lines = (body ?? "").trim().split("\n");
  const last = lines[lines.length - 1]?.trim() ?? "";
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}

/** 90000 → "1m30s", 300000 → "5m", 1500 → "1.5s". */
export function human(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

export const push: CheckKindDef<PushCheckSpec> = { schema: PushCheck, probe: pushProbe, values: PUSH_VALUES };
