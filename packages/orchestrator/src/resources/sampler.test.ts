import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../lifecycle/fixtures/helpers.ts";
import { indexTable, readProcTable, treeOf } from "./proc-table.ts";
import { ProcessTreeSampler } from "./sampler.ts";

const hog = fixture("../../resources/fixtures/hog.mjs");

describe("process tree sampler (real processes, real /proc)", () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const c of started.splice(0)) {
      if (c.pid) process.kill(-c.pid, "SIGKILL");
    }
  });

  function startHog(env: Record<string, string>): Promise<{ leader: number; child: number }> {
    const c = spawn(process.execPath, [hog], {
      detached: true,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    started.push(c);
    return new Promise((resolve, reject) => {
      c.once("error", reject);
      c.stdout?.on("data", (chunk: Buffer) => {
        const m = /child (\d+)/.exec(chunk.toString());
        if (m) resolve({ leader: c.pid ?? 0, child: Number(m[1]) });
      });
    });
  }

  it("finds the leader and its children in the tree", async () => {
    const { leader, child } = await startHog({ HOG_MAX_MB: "16" });
    const tree = treeOf(indexTable(readProcTable()), leader);
    expect(tree).toContain(leader);
    expect(tree).toContain(child);
    expect(treeOf(indexTable(readProcTable()), 2 ** 22 + 7)).toEqual([]);
  });

  it("reports memory of the whole tree growing, CPU, threads and fds", async () => {
    const { leader } = await startHog({ HOG_STEP_MB: "16", HOG_MAX_MB: "160" });
    const sampler = new ProcessTreeSampler();
    expect(sampler.sample([{ service: "hog", pid: leader }])).toEqual([]); // baseline only
    const seen: number[] = [];
    let last: ReturnType<ProcessTreeSampler["sample"]>[number] | undefined;
    // Bounded: 60 samples, 100 ms apart.
    for (let i = 0; i < 60 && (last?.memoryBytes ?? 0) < 150 * 1024 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 100));
      last = sampler.sample([{ service: "hog", pid: leader }])[0];
      if (last) seen.push(last.memoryBytes);
    }
    expect(last).toBeDefined();
    if (!last) return;
    // The child holds the memory, so only a tree sum (not the leader alone) passes 150 MB.
    expect(last.memoryBytes).toBeGreaterThan(150 * 1024 * 1024);
    expect(seen.at(-1)).toBeGreaterThan(seen[0] ?? 0);
    expect(last.pids).toBe(2);
    expect(last.threads).toBeGreaterThanOrEqual(2);
    expect(last.fds).toBeGreaterThan(0);
    expect(last.cpuPercent).toBeGreaterThan(0);
  });

  it("starts a new baseline when the leader pid changes and forgets services no longer listed", () => {
    const table = new Map([[10, { pid: 10, ppid: 1, pgrp: 10, state: "S", ticks: 100, threads: 1 }]]);
    let now = 0;
    const sampler = new ProcessTreeSampler({ now: () => now, readTable: () => table });
    sampler.sample([{ service: "a", pid: 10 }]);
    now = 1_000;
    table.set(10, { pid: 10, ppid: 1, pgrp: 10, state: "S", ticks: 150, threads: 1 });
    expect(sampler.sample([{ service: "a", pid: 10 }])[0]?.cpuPercent).toBeCloseTo(50);
    now = 2_000;
    table.set(11, { pid: 11, ppid: 1, pgrp: 11, state: "S", ticks: 5, threads: 1 });
    expect(sampler.sample([{ service: "a", pid: 11 }])).toEqual([]);
    expect(sampler.sample([])).toEqual([]);
  });
});
