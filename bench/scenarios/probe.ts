import { createMonitor, type Monitor } from "../../packages/orchestrator/src/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { startCpuMeter } from "../lib/cpu.ts";
import { fleetConfig } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { LagClock, pinnedJitter } from "../lib/monitor-clock.ts";
import { machineCpu } from "../lib/proc.ts";
import { percentile } from "../lib/stats.ts";
import { type HttpTarget, startHttpTarget } from "../lib/target.ts";
import { epochMs, sleep } from "../lib/time.ts";
import type { Metric, Scenario } from "../types.ts";

/*
 * HTTP checks through Vigil's real monitor (scheduler, concurrency bound, policy, status
 * derivation, events) against a loopback server in a child process. A ladder of offered rates
 * (500 services, one check each, shorter intervals): the headline is the checks/s achieved at the
 * highest step whose p99 schedule lag stays < 50 ms. CPU is this process's only.
 */

const SERVICES = 500;
const TARGET_RATE = 2000;
const MAX_LAG_MS = 50;

interface Step {
  services: number;
  offered: number;
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  cpuPercent: number;
  /** The whole machine's busy share (all cores), to tell Vigil's limits from others' load. */
  machineBusy: number;
  targetCpuPercent: number;
  results: number;
}

export const probe: Scenario = {
  name: "probe",
  description: `HTTP checks through the real monitor against a loopback server: checks/s, p99 schedule lag, CPU`,
  async run({ quick }) {
    const rates = quick ? [500, 1000, 2000] : [250, 500, 1000, 2000, 3000, 4000];
    const warmupMs = quick ? 4000 : 5000;
    const windowMs = quick ? 10_000 : 20_000;
    return withCleanup(async (cleanup) => {
      const target = await startHttpTarget(cleanup);
      const steps: Step[] = [];
      for (const rate of rates) {
        const step = await runStep(target, SERVICES, rate, warmupMs, windowMs);
        steps.push(step);
        // Past saturation more load only says the same thing louder.
        if (step.achieved < 0.8 * rate && rate >= TARGET_RATE) break;
      }
      // The same offered 2,000/s over 100 services: how much of the cost grows with the fleet.
      const small = await runStep(target, 100, TARGET_RATE, warmupMs, windowMs);
      // Fixed-delay scheduling stretches each period by the probe's latency, so achieved runs a
      // few % under offered by design; falling behind shows in the lag, which is the criterion.
      const ok = steps.filter((s) => s.p99 < MAX_LAG_MS);
      const best = ok.at(-1);
      const atTarget = steps.find((s) => s.offered === TARGET_RATE);
      const metrics: Metric[] = [
        metric(
          `sustained checks/s, ${SERVICES} services (p99 lag < 50 ms)`,
          best?.achieved ?? 0,
          "checks/s",
          {
            atLeast: TARGET_RATE,
          },
        ),
        metric("peak achieved checks/s (any lag)", Math.max(...steps.map((s) => s.achieved)), "checks/s"),
      ];
      if (atTarget)
        metrics.push(
          metric(`p99 schedule lag at ${TARGET_RATE}/s offered`, atTarget.p99, "ms", { below: MAX_LAG_MS }),
          metric(`Vigil CPU at ${TARGET_RATE}/s offered`, atTarget.cpuPercent, "% of one core"),
        );
      metrics.push(
        metric(`achieved at ${TARGET_RATE}/s offered, 100 services`, small.achieved, "checks/s"),
        metric(`p99 schedule lag at ${TARGET_RATE}/s offered, 100 services`, small.p99, "ms", {
          below: MAX_LAG_MS,
        }),
      );
      return {
        metrics,
        notes: [
          ...[...steps, small].map(
            (s) =>
              `${s.services} services, offered ${s.offered}/s → ${s.achieved.toFixed(0)}/s, lag p50 ${s.p50.toFixed(1)} / p99 ${s.p99.toFixed(1)} / max ${s.max.toFixed(1)} ms, Vigil CPU ${s.cpuPercent.toFixed(0)} %, target server CPU ${s.targetCpuPercent.toFixed(0)} %, machine ${s.machineBusy.toFixed(0)} % busy (${s.results} results)`,
          ),
          `external services × 1 HTTP check each (GET, JSON health body), interval = services/rate; ${(warmupMs / 1000).toFixed(0)} s warm-up + ${(windowMs / 1000).toFixed(0)} s window per step`,
          "jitter pinned to 1.0 so the planned start is known (first runs still spread over the interval)",
        ],
      };
    });
  },
};

async function runStep(
  target: HttpTarget,
  services: number,
  rate: number,
  warmupMs: number,
  windowMs: number,
): Promise<Step> {
  const intervalMs = (services / rate) * 1000;
  const config = fleetConfig({
    project: "bench-probe",
    targetUrl: target.url,
    count: services,
    interval: `${intervalMs}ms`,
    timeout: "2s",
  });
  const clock = new LagClock(() => intervalMs);
  let monitor: Monitor | undefined;
  try {
    const built = pinnedJitter(services, () =>
      createMonitor({ config, now: clock.now, onEvent: (event) => clock.onEvent(event) }),
    );
    monitor = built.value;
    monitor.start();
    built.steady();
    await sleep(warmupMs);
    const from = epochMs();
    clock.measureBetween(from, from + windowMs);
    const cpu = startCpuMeter();
    const machine = await machineCpu();
    const target0 = await target.stats();
    await sleep(windowMs);
    const used = cpu();
    const machineBusy = await machine();
    const target1 = await target.stats();
    // Runs that started inside the window but end a moment later still count.
    await sleep(Math.min(1000, intervalMs));
    return {
      services,
      offered: rate,
      achieved: clock.ends.length / (windowMs / 1000),
      p50: percentile(clock.lags, 50),
      p99: percentile(clock.lags, 99),
      max: Math.max(...clock.lags),
      cpuPercent: used.cpuPercent,
      machineBusy,
      targetCpuPercent: ((target1.cpuMs - target0.cpuMs) / used.wallMs) * 100,
      results: clock.ends.length,
    };
  } finally {
    await monitor?.stop();
  }
}
