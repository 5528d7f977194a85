import { Ring } from "./ring.ts";
import type { QueueItem } from "./types.ts";

/**
 * Ordered, bounded FIFO. Over the bound it drops the oldest *result* (events and actions are few
 * and are the audit trail), counting each drop. Results and the other kinds live in two rings so
 * that dropping the oldest result stays O(1) even behind an event that cannot be written; a shared
 * sequence number restores the order in which items were queued.
 */
export class BoundedQueue {
  private readonly results = new Ring<QueueItem>();
  private readonly others = new Ring<QueueItem>();
  private nextSeq = 0;
  /** Lowest sequence number handed out; items put back in front are numbered below it. */
  private firstSeq = 0;
  dropped = 0;

  constructor(private readonly max: number) {}

  get length(): number {
    return this.results.size + this.others.size;
  }

  push(item: QueueItem): void {
    this.ringOf(item).pushBack(item, this.nextSeq++);
    this.enforce();
  }

  /** Takes up to `n` items from the front. */
  take(n: number): QueueItem[] {
    const out: QueueItem[] = [];
    while (out.length < n && this.length > 0) {
      const fromResults = this.results.frontSeq() < this.others.frontSeq();
      out.push(fromResults ? this.results.shift() : this.others.shift());
    }
    return out;
  }

  /** Puts a chunk that failed to write back at the front, keeping order, then re-applies the bound. */
  unshift(chunk: readonly QueueItem[]): void {
    for (let i = chunk.length - 1; i >= 0; i--) {
      const item = chunk[i]!;
      this.ringOf(item).pushFront(item, --this.firstSeq);
    }
    this.enforce();
  }

  private ringOf(item: QueueItem): Ring<QueueItem> {
    // Resource samples are measurements like results: droppable under pressure, never the audit trail.
    return item.kind === "result" || item.kind === "resource" ? this.results : this.others;
  }

  private enforce(): void {
    // Only events/actions left: keep them over the bound rather than lose the audit trail.
    while (this.length > this.max && this.results.size > 0) {
      this.results.shift();
      this.dropped++;
    }
  }
}
