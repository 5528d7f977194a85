import type { QueueItem } from "./types.ts";

/**
 * Ordered, bounded FIFO. Over the bound it drops the oldest *result* (events and actions are few
 * and are the audit trail), counting each drop. Head-index array: O(1) push/shift at 100k items.
 */
export class BoundedQueue {
  private items: QueueItem[] = [];
  private head = 0;
  dropped = 0;

  constructor(private readonly max: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: QueueItem): void {
    this.items.push(item);
    this.enforce();
  }

  /** Takes up to `n` items from the front. */
  take(n: number): QueueItem[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Puts a chunk that failed to write back at the front, keeping order, then re-applies the bound. */
  unshift(chunk: QueueItem[]): void {
    this.items = chunk.concat(this.items.slice(this.head));
    this.head = 0;
    this.enforce();
  }

  private enforce(): void {
    while (this.length > this.max) {
      const first = this.items[this.head];
      if (first?.kind === "result") {
        this.head++;
      } else {
        const i = this.items.findIndex((it, idx) => idx >= this.head && it.kind === "result");
        // Only events/actions are buffered: keep them over the bound rather than lose the audit trail.
        if (i < 0) return;
        this.items.splice(i, 1);
      }
      this.dropped++;
    }
  }
}
