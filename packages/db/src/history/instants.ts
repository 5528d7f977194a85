/*
 * A raw row's key is (series_id, at) with `at` in microseconds (issue 20). Results carry
 * milliseconds, and a burst can hold two results of one check in the same millisecond (distinct
 * results, not a retry): each later one gets the next microsecond. The offset is fixed when the
 * result is queued, so a retried batch carries the same key and still inserts nothing twice.
 * Reads see milliseconds (JavaScript's Date drops the microseconds), so nothing visible changes.
 */

const MAX_SUB = 999;
const MAX_KEYS = 100_000;

/** A check's latest millisecond: the result that took it first, and any later ones with their offsets. */
interface Slot {
  ms: number;
  first: string;
  /** Only when a second result shares the millisecond: one Map per result was most of this cost. */
  more: Map<string, number> | undefined;
}

export class SubMillis {
  private readonly last = new Map<string, Slot>();

  /**
   * Offset in µs (0…999) for result `id` of `service`/`check` at `ms`: 0 unless another result of
   * that check already took the millisecond; the same id recorded again gets the same offset.
   */
  next(service: string, check: string, ms: number, id: string): number {
    const key = `${service}\u0000${check}`;
    const slot = this.last.get(key);
    if (slot === undefined) {
      if (this.last.size >= MAX_KEYS) this.last.clear();
      this.last.set(key, { ms, first: id, more: undefined });
      return 0;
    }
    if (slot.ms !== ms) {
      // Reused in place: a new millisecond of a known check is the common case.
      slot.ms = ms;
      slot.first = id;
      slot.more = undefined;
      return 0;
    }
    if (slot.first === id) return 0;
    slot.more ??= new Map();
    let sub = slot.more.get(id);
    if (sub === undefined) {
      sub = Math.min(MAX_SUB, slot.more.size + 1);
      slot.more.set(id, sub);
    }
    return sub;
  }
}

/** Microseconds since the epoch, as Postgres keeps a timestamptz. */
export const micros = (at: Date, sub: number): number => at.getTime() * 1000 + sub;
