/**
 * Growable circular buffer whose entries carry a sequence number. O(1) amortized at both ends; a
 * removed entry's slot is cleared at once, so the buffer never keeps what it no longer holds.
 */
const MIN_CAPACITY = 16;

export class Ring<T> {
  private items: (T | undefined)[];
  private seqs: Float64Array;
  private head = 0;
  size = 0;

  constructor() {
    this.items = new Array<T | undefined>(MIN_CAPACITY).fill(undefined);
    this.seqs = new Float64Array(MIN_CAPACITY);
  }

  /** Sequence number of the front entry; +Infinity when empty, so it compares after any entry. */
  frontSeq(): number {
    return this.size > 0 ? this.seqs[this.head]! : Number.POSITIVE_INFINITY;
  }

  pushBack(item: T, seq: number): void {
    if (this.size === this.items.length) this.resize(this.items.length * 2);
    const i = (this.head + this.size) & (this.items.length - 1);
    this.items[i] = item;
    this.seqs[i] = seq;
    this.size++;
  }

  pushFront(item: T, seq: number): void {
    if (this.size === this.items.length) this.resize(this.items.length * 2);
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = item;
    this.seqs[this.head] = seq;
    this.size++;
  }

  shift(): T {
    if (this.size === 0) throw new Error("Ring.shift on an empty ring");
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    // Halving at a quarter (not a half) leaves room to grow again without resizing back and forth.
    if (this.items.length > MIN_CAPACITY && this.size <= this.items.length / 4) {
      this.resize(this.items.length / 2);
    }
    return item;
  }

  /** Capacity is kept a power of two so the index wrap is a mask. */
  private resize(capacity: number): void {
    const items = new Array<T | undefined>(capacity).fill(undefined);
    const seqs = new Float64Array(capacity);
    const mask = this.items.length - 1;
    for (let k = 0; k < this.size; k++) {
      const from = (this.head + k) & mask;
      items[k] = this.items[from];
      seqs[k] = this.seqs[from]!;
    }
    this.items = items;
    this.seqs = seqs;
    this.head = 0;
  }
}
