import { createMonitor, type Monitor } from "../../packages/orchestrator/src/index.ts";
import { startCpuMeter } from "./cpu.ts";
import { fleetConfig } from "./fleet.ts";
import { LagClock, pinnedJitter } from "./monitor-clock.ts";
import { machineCpu } from "./proc.ts";
import { percentile } from "./stats.ts";
import type { HttpTarget } from "./target.ts";
import { epochMs, sleep } from "./time.ts";

/*
 * One step of the probe ladder: `services` checks through Vigil's real monitor at an offered
 * `rate` against the loopback target, schedule lag and throughput measured over a window.
 */

export interface StepOptions {
  services: number;
  rate: number;
  warmupMs: number;
  windowMs: number;
  /** Every n-th service checks the target's port over TCP instead of HTTP (fleet.ts). */
  tcpEvery?: number;
  maxConcurrentProbes?: number;
}

export interface Step {
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
  unhealthy: number;
}

export async function runStep(target: HttpTarget, opts: StepOptions): Promise<Step> {
  const { services, rate, warmupMs, windowMs } = opts;
  const intervalMs = (services / rate) * 1000;
  const config = fleetConfig({
    project: "bench-probe",
    targetUrl: target.url,
    count: services,
    interval: `${intervalMs}ms`,
    timeout: "2s",
    ...(opts.tcpEvery === undefined ? {} : { tcpEvery: opts.tcpEvery }),
    ...(opts.maxConcurrentProbes === undefined ? {} : { maxConcurrentProbes: opts.maxConcurrentProbes }),
  });
  const clock = new LagClock(() => intervalMs);
  let unhealthy = 0;
  let counting = false;
  let monitor: Monitor | undefined;
  try {
    const built = pinnedJitter(services, () =>
      createMonitor({
        config,
        now: clock.now,
        onEvent: (event) => {
          clock.onEvent(event);
          if (counting && event.type === "check.result" && event.result.status !== "healthy") unhealthy++;
        },
      }),
    );
    monitor = built.value;
    monitor.start();
    built.steady();
    await sleep(warmupMs);
    const from = epochMs();
    clock.measureBetween(from, from + windowMs);
    counting = true;
    const cpu = startCpuMeter();
    const machine = await machineCpu();
    const target0 = await target.stats();
    await sleep(windowMs);
    const used = cpu();
    const machineBusy = await machine();
    const target1 = await target.stats();
    // Runs that started inside the window but end a moment later still count.
    await sleep(Math.min(1000, intervalMs));
    counting = false;
    return {
      services,
      offered: rate,
      achieved: clock.ends.length / (windowMs / 1000),
      p50: percentile(clock.lags, 50),
      p99: percentile(clock.lags, 99),
      max: clock.lags.reduce((a, b) => Math.max(a, b), 0),
      cpuPercent: used.cpuPercent,
      machineBusy,
      targetCpuPercent: ((target1.cpuMs - target0.cpuMs) / used.wallMs) * 100,
      results: clock.ends.length,
      unhealthy,
    };
  } finally {
    await monitor?.stop();
  }
}

export function describeStep(s: Step, what: string): string {
  return `${s.services} services (${what}), offered ${s.offered}/s → ${s.achieved.toFixed(0)}/s, lag p50 ${s.p50.toFixed(1)} / p99 ${s.p99.toFixed(1)} / max ${s.max.toFixed(1)} ms, Vigil CPU ${s.cpuPercent.toFixed(0)} %, target server CPU ${s.targetCpuPercent.toFixed(0)} %, machine ${s.machineBusy.toFixed(0)} % busy (${s.results} results, ${s.unhealthy} not healthy)`;
}
