import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import type { StoreHealth } from "./types.ts";

const writer = fileURLToPath(new URL("../testing/overflow-writer.ts", import.meta.url));
const pkgDir = fileURLToPath(new URL("../..", import.meta.url));

const BOUND = 20_000;
const STEPS = 10;
const PUSHED = BOUND * STEPS;
const MiB = 1024 * 1024;
// Measured here (B = 20,000 results with ~90-char messages, 10 × B pushed with Postgres cut off):
// holding B results costs 24.3 MB of heap; past the bound heapUsed moved by < 0.25 MB and RSS by
// up to ~22 MB (free heap pages and malloc slack not handed back yet, not retained results).
// A queue that keeps what it drops (the head-index array before the ring buffers) or has no bound
// grows by about +218 MB heapUsed and +216 MB RSS over the same pushes: both margins fail it.
const HEAP_MARGIN = 4 * MiB;
const RSS_MARGIN = 64 * MiB;

interface Sample {
  pushed: number;
  queueDepth: number;
  dropped: number;
  rss: number;
  heapUsed: number;
}
interface Flushed {
  health: StoreHealth;
  stats: { batches: number; results: number; inserted: number };
}

function runWriter(url: string, onSpawn: (child: ChildProcess) => void) {
  return new Promise<{ samples: Sample[]; flushed: Flushed | undefined }>((resolve, reject) => {
    // A process of its own, so the heap of the Vitest worker does not blur the figures.
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", writer, url, String(BOUND), String(BOUND), String(STEPS), "flush"],
      { cwd: pkgDir, stdio: ["ignore", "pipe", "inherit"] },
    );
    onSpawn(child);
    let out = "";
    child.stdout.on("data", (buf: Buffer) => {
      out += buf.toString();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code !== 0) return reject(new Error(`overflow writer exited with ${code ?? signal}`));
      const lines = out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { sample?: Sample; flushed?: Flushed });
      resolve({
        samples: lines.flatMap((l) => (l.sample ? [l.sample] : [])),
        flushed: lines.find((l) => l.flushed)?.flushed,
      });
    });
  });
}

describe("history store buffer overflow, measured in a process of its own", () => {
  let tdb: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await tdb?.drop();
  });

  it("keeps heap and RSS flat while 10× the bound overflows, then writes the newest B and the drop count", async () => {
    const { samples, flushed } = await runWriter(tdb.url, (c) => {
      child = c;
    });
    const [idle, atBound, ...over] = samples;
    if (!idle || !atBound) throw new Error("the writer printed no samples");
    expect(over).toHaveLength(STEPS - 1);
    for (const s of [atBound, ...over]) {
      expect(s).toMatchObject({ queueDepth: BOUND, dropped: s.pushed - BOUND });
    }
    expect(over.at(-1)?.pushed).toBe(PUSHED);

    const mb = (bytes: number) => `${(bytes / MiB).toFixed(2)} MiB`;
    const bufferCost = atBound.heapUsed - idle.heapUsed;
    // A flat line proves nothing unless the samples see the buffer itself.
    expect(bufferCost, `B results cost ${mb(bufferCost)} of heap`).toBeGreaterThan(BOUND * 500);
    const heapGrowth = Math.max(...over.map((s) => s.heapUsed)) - atBound.heapUsed;
    const rssGrowth = Math.max(...over.map((s) => s.rss)) - atBound.rss;
    expect(heapGrowth, `heapUsed grew ${mb(heapGrowth)} past the bound`).toBeLessThan(HEAP_MARGIN);
    expect(rssGrowth, `RSS grew ${mb(rssGrowth)} past the bound`).toBeLessThan(RSS_MARGIN);

    expect(flushed?.health).toMatchObject({ state: "ok", queueDepth: 0, dropped: PUSHED - BOUND });
    expect(flushed?.stats.results).toBe(BOUND + 1);
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n, count(DISTINCT message)::int AS d,
                min(substring(message FROM '#(\\d+)\\)$')::int) AS first,
                max(substring(message FROM '#(\\d+)\\)$')::int) AS last
         FROM probe_results WHERE service <> 'warmup'`,
      );
      expect(rows[0]).toEqual({ n: BOUND, d: BOUND, first: PUSHED - BOUND + 1, last: PUSHED });
      const { rows: meta } = await c.query(
        "SELECT value::int AS v FROM store_meta WHERE key = 'dropped_results'",
      );
      expect(meta[0]?.v).toBe(PUSHED - BOUND);
    } finally {
      await c.end();
    }
  });
});
