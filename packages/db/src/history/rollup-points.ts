import { BUCKETS, bucketBounds } from "./histogram.ts";
import type { HistoryPoint } from "./types.ts";

/*
 * Chart points from minute/hour rollup rows, folded as they stream in bucket order. A 24 h chart
 * is 1,440 rows of a 66-bucket histogram each; reading `hist` as int[] made the driver build a
 * string and a number per element (95,000 of each) and spent most of the query's time in that
 * parse and its garbage. The rows come as tuples with `hist` as its Postgres text ("{0,3,12,…}"),
 * summed digit by digit into one reused accumulator, and each bucket's three percentiles come
 * from one cumulative pass. The numbers equal mergeHist + quantile (histogram.ts) on the same rows.
 */

/** One rollup row as selected: bucket start (ms since the epoch, int8 text), then the stored columns. */
export type RollupTuple = [
  ms: string,
  count: number,
  failures: number,
  min: number | null,
  max: number | null,
  sum: number,
  hist: string | null,
];

/** The SELECT list that yields RollupTuple (rowMode "array"). */
export const ROLLUP_COLUMNS = `(extract(epoch FROM bucket) * 1000)::int8::text, count, failures, min, max, sum, hist::text`;

const QUANTILES = [0.5, 0.95, 0.99] as const;

// Each bucket's estimate before clamping, as quantile() computes it.
const MIDDLE = Float64Array.from({ length: BUCKETS }, (_, i) => {
  if (i === 0) return 0.5;
  const [lo, hi] = bucketBounds(i);
  return Math.sqrt(lo * hi);
});

const ZERO = 48;
const NINE = 57;
const COMMA = 44;
const CLOSE = 125;
const MINUS = 45;

/**
 * Adds the elements of a one-dimensional int[] in Postgres text form into `acc` (beyond BUCKETS
 * ignored, NULL elements count 0, as in mergeHist) and returns their sum.
 */
export function addHistText(text: string, acc: Float64Array): number {
  let i = 0;
  let n = 0;
  let sign = 1;
  let total = 0;
  for (let p = 1; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c >= ZERO && c <= NINE) n = n * 10 + (c - ZERO);
    else if (c === MINUS) sign = -1;
    else if (c === COMMA || c === CLOSE) {
      // "{}" has no element: its closing brace follows the opening one directly.
      if (c === CLOSE && p === 1) break;
      const v = sign * n;
      if (i < acc.length) {
        acc[i] = (acc[i] ?? 0) + v;
        total += v;
      }
      i++;
      n = 0;
      sign = 1;
    }
  }
  return total;
}

/**
 * Folds rows ordered by bucket (rows of one bucket — one per check — adjacent) into one point per
 * bucket: counts and sums added, min/max of the checks, percentiles of the summed histogram.
 */
export function rollupPoints(rows: readonly RollupTuple[]): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  const acc = new Float64Array(BUCKETS);
  let at: string | null = null;
  let count = 0;
  let failures = 0;
  let min: number | null = null;
  let max: number | null = null;
  let sum = 0;
  let n = 0;
  const emit = () => {
    if (at === null) return;
    const p = percentiles(acc, n, min, max);
    points.push({
      t: new Date(Number(at)),
      count,
      failures,
      min,
      max,
      avg: n > 0 ? sum / n : null,
      p50: p[0],
      p95: p[1],
      p99: p[2],
    });
    acc.fill(0);
  };
  for (const [ms, c, f, lo, hi, s, hist] of rows) {
    if (ms !== at) {
      emit();
      at = ms;
      count = c;
      failures = f;
      min = lo;
      max = hi;
      sum = s;
      n = hist === null ? 0 : addHistText(hist, acc);
      continue;
    }
    count += c;
    failures += f;
    min = min === null ? lo : lo === null ? min : Math.min(min, lo);
    max = max === null ? hi : hi === null ? max : Math.max(max, hi);
    sum += s;
    if (hist !== null) n += addHistText(hist, acc);
  }
  emit();
  return points;
}

/** p50, p95, p99 of one histogram in one cumulative pass (ranks ascend with q). */
function percentiles(
  acc: Float64Array,
  total: number,
  min: number | null,
  max: number | null,
): [number | null, number | null, number | null] {
  const out: [number | null, number | null, number | null] = [null, null, null];
  if (total === 0) return out;
  let k = 0;
  let seen = 0;
  for (let i = 0; i < BUCKETS && k < QUANTILES.length; i++) {
    seen += acc[i] ?? 0;
    while (k < QUANTILES.length && seen >= Math.max(1, Math.ceil((QUANTILES[k] ?? 1) * total))) {
      let v = MIDDLE[i] ?? 0;
      if (min !== null) v = Math.max(v, min);
      if (max !== null) v = Math.min(v, max);
      out[k] = v;
      k++;
    }
  }
  for (; k < QUANTILES.length; k++) out[k] = max;
  return out;
}
