// Fixed log-scale latency histogram shared by every rollup row, so rollups merge by element-wise
// addition (minutes → hours, checks → service, late data) and percentiles stay computable.
// Bucket 0 holds < 1 ms; bucket i ≥ 1 holds [2^((i-1)/4), 2^(i/4)) ms, i.e. ±9% per bucket;
// the last bucket also takes everything above ~2^16 ms (65 s).

export const BUCKETS = 66;
const STEPS_PER_DOUBLING = 4;

/** Index of the bucket holding `latencyMs`. */
export function bucketOf(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log2(latencyMs) * STEPS_PER_DOUBLING));
}

/** Lower and upper bound (ms) of bucket `i`. */
export function bucketBounds(i: number): [number, number] {
  if (i <= 0) return [0, 1];
  return [2 ** ((i - 1) / STEPS_PER_DOUBLING), 2 ** (i / STEPS_PER_DOUBLING)];
}

export function emptyHist(): number[] {
  return new Array<number>(BUCKETS).fill(0);
}

/** Adds `b` into `a` (mutates and returns `a`); tolerates shorter/null arrays. */
export function mergeHist(a: number[], b: readonly number[] | null | undefined): number[] {
  if (!b) return a;
  for (let i = 0; i < Math.min(a.length, b.length); i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return a;
}

/**
 * Estimates quantile `q` (0..1) as the geometric middle of the bucket holding it, clamped to the
 * observed min/max so a single-valued bucket reads back exactly. Null when the histogram is empty.
 */
export function quantile(
  hist: readonly number[],
  q: number,
  min: number | null,
  max: number | null,
): number | null {
  const total = hist.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) {
      const [lo, hi] = bucketBounds(i);
      let v = i === 0 ? 0.5 : Math.sqrt(lo * hi);
      if (min !== null) v = Math.max(v, min);
      if (max !== null) v = Math.min(v, max);
      return v;
    }
  }
  return max;
}
