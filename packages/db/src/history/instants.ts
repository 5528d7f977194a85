/*
 * A raw row's key is (series_id, at) with `at` in microseconds (issue 20). Results carry
 * milliseconds, and a burst can hold two results of one check in the same millisecond (distinct
 * results, not a retry): each later one gets the next microsecond. The offset is fixed when the
 * result is queued, so a retried batch carries the same key and still inserts nothing twice.
 * Reads see milliseconds (JavaScript's Date drops the microseconds), so nothing visible changes.
 */

const MAX_SUB = 999;
const MAX_KEYS = 100_000;

export class SubMillis {
  /** Per check: its latest millisecond and the offsets given in it, by result id. */
  private readonly last = new Map<string, { ms: number; ids: Map<string, number> }>();

  /**
   * Offset in µs (0…999) for result `id` of `service`/`check` at `ms`: 0 unless another result of
   * that check already took the millisecond; the same id recorded again gets the same offset.
   */
  next(service: string, check: string, ms: number, id: string): number {
    const key = `${service}\u0000${check}`;
    let prev = this.last.get(key);
    if (prev === undefined || prev.ms !== ms) {
      if (prev === undefined && this.last.size >= MAX_KEYS) this.last.clear();
      prev = { ms, ids: new Map() };
      this.last.set(key, prev);
    }
    let sub = prev.ids.get(id);
    if (sub === undefined) {
      sub = Math.min(MAX_SUB, prev.ids.size);
      prev.ids.set(id, sub);
    }
    return sub;
  }
}

/** Microseconds since the epoch, as Postgres keeps a timestamptz. */
export const micros = (at: Date, sub: number): number => at.getTime() * 1000 + sub;
