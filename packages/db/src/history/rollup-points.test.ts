import { describe, expect, it } from "vitest";
import { BUCKETS, emptyHist, mergeHist, quantile } from "./histogram.ts";
import { addHistText, type RollupTuple, rollupPoints } from "./rollup-points.ts";

// A seeded generator: the same rows every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Row {
  bucket: number;
  count: number;
  failures: number;
  min: number | null;
  max: number | null;
  sum: number;
  hist: number[];
}

/** Rows as the rollup tables hold them: 1–3 checks a bucket, some without any latency. */
function randomRows(seed: number, buckets: number): Row[] {
  const r = rng(seed);
  const rows: Row[] = [];
  for (let b = 0; b < buckets; b++) {
    const checks = 1 + Math.floor(r() * 3);
    for (let c = 0; c < checks; c++) {
      const hist = emptyHist();
      const n = Math.floor(r() * 40);
      let min: number | null = null;
      let max: number | null = null;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const l = r() < 0.05 ? r() * 5000 : 0.2 + r() * 4;
        const at = Math.min(BUCKETS - 1, Math.floor(r() * 12 + (l > 100 ? 30 : 0)));
        hist[at] = (hist[at] ?? 0) + 1;
        min = min === null ? l : Math.min(min, l);
        max = max === null ? l : Math.max(max, l);
        sum += l;
      }
      rows.push({
        bucket: 1_764_547_200_000 + b * 60_000,
        count: n + 1,
        failures: Math.floor(r() * 2),
        min,
        max,
        sum,
        hist,
      });
    }
  }
  return rows;
}

const tuple = (r: Row): RollupTuple => [
  String(r.bucket),
  r.count,
  r.failures,
  r.min,
  r.max,
  r.sum,
  `{${r.hist.join(",")}}`,
];

/** The fold as it was written before (one Map entry a bucket, mergeHist, then quantile per percentile). */
function reference(rows: readonly Row[]) {
  const by = new Map<number, Row>();
  for (const r of rows) {
    const m = by.get(r.bucket);
    if (!m) {
      by.set(r.bucket, { ...r, hist: [...r.hist] });
      continue;
    }
    m.count += r.count;
    m.failures += r.failures;
    m.min = m.min === null ? r.min : r.min === null ? m.min : Math.min(m.min, r.min);
    m.max = m.max === null ? r.max : r.max === null ? m.max : Math.max(m.max, r.max);
    m.sum += r.sum;
    mergeHist(m.hist, r.hist);
  }
  return [...by.values()].map((m) => {
    const n = m.hist.reduce((s, x) => s + x, 0);
    return {
      t: new Date(m.bucket),
      count: m.count,
      failures: m.failures,
      min: m.min,
      max: m.max,
      avg: n > 0 ? m.sum / n : null,
      p50: quantile(m.hist, 0.5, m.min, m.max),
      p95: quantile(m.hist, 0.95, m.min, m.max),
      p99: quantile(m.hist, 0.99, m.min, m.max),
    };
  });
}

describe("rollupPoints", () => {
  it("gives exactly the points of mergeHist + quantile, checks of a bucket merged", () => {
    for (const seed of [1, 2, 3, 42]) {
      const rows = randomRows(seed, 500);
      expect(rollupPoints(rows.map(tuple))).toEqual(reference(rows));
    }
  });

  it("reads a bucket without latencies as null percentiles and average", () => {
    const [p] = rollupPoints([["0", 3, 3, null, null, 0, `{${emptyHist().join(",")}}`]]);
    expect(p).toEqual({
      t: new Date(0),
      count: 3,
      failures: 3,
      min: null,
      max: null,
      avg: null,
      p50: null,
      p95: null,
      p99: null,
    });
  });

  it("adds every check's histogram, also when the bucket's first row has none", () => {
    // Before, the first row's missing histogram hid the other checks' latencies (avg and percentiles null).
    const hist = emptyHist();
    hist[5] = 4;
    const [p] = rollupPoints([
      ["60000", 1, 1, null, null, 0, null],
      ["60000", 4, 0, 2, 2.2, 8.4, `{${hist.join(",")}}`],
    ]);
    const middle = Math.sqrt(2 * 2 ** 1.25);
    expect(p).toMatchObject({ count: 5, failures: 1, min: 2, max: 2.2, avg: 2.1, p50: middle, p99: middle });
  });
});

describe("addHistText", () => {
  it("parses Postgres int[] text, NULL elements as 0, and ignores entries past the accumulator", () => {
    const acc = new Float64Array(3);
    expect(addHistText("{1,NULL,-2,40}", acc)).toBe(-1);
    expect([...acc]).toEqual([1, 0, -2]);
    expect(addHistText("{}", acc)).toBe(0);
    expect(addHistText("{7}", acc)).toBe(7);
    expect([...acc]).toEqual([8, 0, -2]);
  });
});
