import { type ChildProcess, spawn } from "node:child_process";
import { ProcessTreeSampler } from "../../packages/orchestrator/src/resources/sampler.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { metric } from "../lib/metric.ts";
import { sleep } from "../lib/time.ts";
import type { Scenario } from "../types.ts";

/*
 * What resource sampling of process services costs: 1,000 real process services (each a leader
 * with one child, as `sh -c 'sleep …; …'` gives), sampled the way the process runner does it
 * (one /proc walk per tick, then stat/status/fd reads per process of each tree). CPU is this
 * process's own user+system time per tick; at the default 5 s interval it is a share of one core.
 */

const SERVICES = 1000;
const INTERVAL_MS = 5_000;

export const resources: Scenario = {
  name: "resources",
  description: `CPU cost of sampling CPU/memory/fds/threads of ${SERVICES} process trees from /proc`,
  async run({ quick }) {
    const ticks = quick ? 5 : 20;
    return withCleanup(async (cleanup) => {
      const children: ChildProcess[] = [];
      cleanup.add("process services", async () => {
        for (const c of children) if (c.pid) process.kill(-c.pid, "SIGKILL");
      });
      for (let i = 0; i < SERVICES; i++) {
        // Two processes per tree: the shell stays as leader because a command follows the sleep.
        const c = spawn("/bin/sh", ["-c", "sleep 600; true"], { detached: true, stdio: "ignore" });
        c.unref();
        children.push(c);
      }
      await sleep(2_000);
      const targets = children.map((c, i) => ({ service: `svc-${i}`, pid: c.pid ?? 0 }));
      const sampler = new ProcessTreeSampler();
      sampler.sample(targets); // baseline, like the runner's first tick
      const perTick: number[] = [];
      let sampled = 0;
      for (let i = 0; i < ticks; i++) {
        await sleep(500);
        const before = process.cpuUsage();
        sampled = sampler.sample(targets).length;
        const used = process.cpuUsage(before);
        perTick.push((used.user + used.system) / 1000);
      }
      const avg = perTick.reduce((a, b) => a + b, 0) / perTick.length;
      return {
        metrics: [
          metric("CPU per sampling tick", avg, "ms"),
          metric(`CPU at one tick per ${INTERVAL_MS / 1000} s`, (avg / INTERVAL_MS) * 100, "% of one core", {
            below: 2,
          }),
          metric("trees sampled per tick", sampled, "services", { atLeast: SERVICES }),
        ],
        notes: [
          `${ticks} ticks over ${SERVICES} trees of 2 processes each; /proc walked once per tick`,
          "measured in-process (process.cpuUsage around ProcessTreeSampler.sample), not the whole server",
        ],
      };
    });
  },
};
