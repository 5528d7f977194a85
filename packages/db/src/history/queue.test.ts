import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./queue.ts";
import type { QueueItem } from "./types.ts";

const at = new Date("2026-11-20T10:00:00Z");
const result = (n: number): QueueItem => ({
  kind: "result",
  v: { id: `r${n}`, service: "api", check: "http", at, status: "healthy", latencyMs: n, message: null },
});
const event = (n: number): QueueItem => ({
  kind: "event",
  v: { id: `e${n}`, service: "api", from: "healthy", to: "unhealthy", reason: null, at },
});
const ids = (items: readonly QueueItem[]) =>
  items.map((it) => (it.kind === "actionUpdate" ? it.id : it.v.id));

/** The queue's contract written the slow, obvious way: one array, splice out the oldest result. */
class ReferenceQueue {
  items: QueueItem[] = [];
  dropped = 0;
  constructor(private readonly max: number) {}
  push(item: QueueItem) {
    this.items.push(item);
    this.enforce();
  }
  take(n: number) {
    return this.items.splice(0, n);
  }
  unshift(chunk: QueueItem[]) {
    this.items = chunk.concat(this.items);
    this.enforce();
  }
  private enforce() {
    while (this.items.length > this.max) {
      const i = this.items.findIndex((it) => it.kind === "result");
      if (i < 0) return;
      this.items.splice(i, 1);
      this.dropped++;
    }
  }
}

describe("BoundedQueue", () => {
  it("keeps queue order across kinds and drops only the oldest results over the bound", () => {
    const q = new BoundedQueue(3);
    q.push(result(1));
    q.push(event(1));
    q.push(result(2));
    q.push(result(3));
    q.push(event(2));
    expect(q.length).toBe(3);
    expect(q.dropped).toBe(2);
    expect(ids(q.take(10))).toEqual(["e1", "r3", "e2"]);
  });

  it("keeps events over the bound when no result is left to drop", () => {
    const q = new BoundedQueue(2);
    for (let i = 0; i < 4; i++) q.push(event(i));
    expect(q.length).toBe(4);
    expect(q.dropped).toBe(0);
  });

  it("puts a failed chunk back in front of what was queued meanwhile, then re-applies the bound", () => {
    const q = new BoundedQueue(4);
    for (let i = 0; i < 4; i++) q.push(result(i));
    const chunk = q.take(3);
    q.push(event(0));
    q.push(result(4));
    q.unshift(chunk);
    expect(q.dropped).toBe(2);
    expect(ids(q.take(10))).toEqual(["r2", "r3", "e0", "r4"]);
  });

  it("matches the plain-array reference over random pushes, takes and put-backs", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (const max of [1, 5, 17, 100]) {
      const q = new BoundedQueue(max);
      const ref = new ReferenceQueue(max);
      for (let step = 0; step < 5_000; step++) {
        const op = rand(10);
        if (op < 6) {
          const item = rand(8) === 0 ? event(step) : result(step);
          q.push(item);
          ref.push(item);
        } else {
          const n = 1 + rand(2 * max);
          const got = q.take(n);
          expect(ids(got)).toEqual(ids(ref.take(n)));
          if (op === 9) {
            q.unshift(got);
            ref.unshift(got);
          }
        }
        expect(q.length).toBe(ref.items.length);
        expect(q.dropped).toBe(ref.dropped);
      }
      expect(ids(q.take(Number.POSITIVE_INFINITY))).toEqual(ids(ref.items));
    }
  });

  it("drops the oldest results at the bound behind an event at the front, at scale", () => {
    // Speed is not asserted here (targets live in benchmarks): with a splice per drop this took
    // ~6 s on the 2-core machine; the ring takes ~0.1 s.
    const max = 50_000;
    const pushes = 250_000;
    const items = Array.from({ length: pushes }, (_, i) => result(i));
    const q = new BoundedQueue(max);
    q.push(event(0));
    for (const item of items) q.push(item);
    expect(q.dropped).toBe(pushes - max + 1);
    expect(ids(q.take(2))).toEqual(["e0", `r${pushes - max + 1}`]);
  });
});
