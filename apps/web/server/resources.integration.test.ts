import { join } from "node:path";
import { ConfigSchema, createEngine } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryResponse, ServicesResponse } from "../lib/contract.ts";
import { adaptEngine } from "./adapters/engine.ts";
import type { VigilServer } from "./app.ts";
import { findRepoRoot } from "./startup/paths.ts";
import { getJson, postJson } from "./testing/http.ts";
import { type RealServer, startRealServer } from "./testing/real-server.ts";

/*
 * Resources end to end without a browser: a real process tree that allocates memory, the real
 * engine sampling it, the real store on a throwaway Postgres, read back through REST.
 */

const repo = findRepoRoot(import.meta.dirname) ?? "";
const hog = join(repo, "packages/orchestrator/src/resources/fixtures/hog.mjs");
const MiB = 1024 * 1024;

let real: RealServer;
let server: VigilServer;

beforeAll(async () => {
  const config = ConfigSchema.parse({
    project: `res${process.pid}`,
    services: {
      grower: {
        kind: "process",
        command: [process.execPath, hog],
        env: { HOG_STEP_MB: "16", HOG_MAX_MB: "192" },
        stop_grace: "2s",
      },
      capped: {
        kind: "process",
        command: [process.execPath, hog],
        env: { HOG_SINGLE: "1", HOG_STEP_MB: "16", HOG_MAX_MB: "1024" },
        resources: { memory: "160MiB" },
        stop_grace: "2s",
      },
    },
  });
  real = await startRealServer("res", () => ({
    config,
    // Sampling every 200 ms instead of 5 s, so the test sees growth in about a second.
    // cgroup v1 as on this machine: the kernel OOM-kills "capped" (limits/cgroup-v1.test.ts).
    engine: (opts) => adaptEngine(createEngine({ ...opts, resourceIntervalMs: 200, limiter: "cgroup-v1" })),
  }));
  ({ server } = real);
});

afterAll(async () => {
  await real?.close({ stopServices: true });
});

async function until(what: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("resources through the real engine, store and REST", () => {
  it("shows a process tree's memory growing in the history API, and an OOM end as the status", async () => {
    const from = new Date(Date.now() - 1_000).toISOString();
    const res = await postJson(server.url, "/api/actions", { kind: "start", targets: ["grower", "capped"] });
    expect(res.status).toBe(202);

    const memory = async () => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const h = await getJson(server.url, `/api/history?service=grower&from=${from}&to=${to}`);
      const series = HistoryResponse.parse(h.body).values.find(
        (v) => v.check === "@resources" && v.name === "memory_bytes",
      );
      return series ? { unit: series.unit, points: series.points.map((p) => p.max) } : undefined;
    };
    // Growth between stored samples (not a level, which the first sample may already pass).
    const grown = async () => {
      const points = (await memory())?.points ?? [];
      return (points.at(-1) ?? 0) - (points[0] ?? 0);
    };
    await until(async () => (await grown()) >= 64 * MiB, 30_000);
    expect((await memory())?.unit).toBe("bytes");

    const reason = "killed: out of memory, limit 160 MiB (kernel OOM killer, cgroup v1)";
    const capped = async () =>
      ServicesResponse.parse((await getJson(server.url, "/api/services")).body).services.find(
        (s) => s.name === "capped",
      );
    await until(async () => (await capped())?.reason === reason, 30_000);
    // The API says what enforces the limit and counts the out-of-memory end.
    expect(await capped()).toMatchObject({
      oomKills: 1,
      limits: { enforcement: "cgroup v1", label: "cgroup v1", memoryBytes: 160 * MiB },
    });
    const metrics = await (
      await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })
    ).text();
    expect(metrics).toMatch(/vigil_service_oom_kills_total\{service="capped"\} [1-9]/);
  });
});
