import type { LiveDelta } from "../../lib/contract.ts";

/** The room every browser is in (io.emit), as opposed to a service's room. */
export const EVERYONE = "";

/**
 * Sends live deltas in batches: one `deltas` message per room per tick instead of one message per
 * result (with 1,000 services a browser got ~200 messages a second). A batch keeps the order
 * things happened in. Results are coalesced to the newest per check, which takes the place of the
 * one it replaces at the end, so a check probed every 50 ms cannot flood browsers. A status
 * change is never coalesced and does not wait for the tick: it flushes its room on the next turn
 * of the event loop, with whatever came before it, so a cascade of changes from one recompute
 * goes out as one message.
 */
export class DeltaBatcher {
  readonly #rooms = new Map<string, Pending>();
  readonly #urgent = new Set<string>();
  readonly #timer: NodeJS.Timeout;
  readonly #maxLogLines: number;
  #immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly send: (room: string, batch: LiveDelta[]) => void,
    opts: { tickMs?: number; maxLogLines?: number } = {},
  ) {
    // A browser keeps the last 500 lines of a log; older lines of one tick would be dropped there.
    this.#maxLogLines = opts.maxLogLines ?? 500;
    this.#timer = setInterval(() => this.flush(), opts.tickMs ?? 250);
    this.#timer.unref();
  }

  push(room: string, delta: LiveDelta): void {
    let pending = this.#rooms.get(room);
    if (!pending) {
      pending = new Pending(this.#maxLogLines);
      this.#rooms.set(room, pending);
    }
    pending.add(delta);
    if (delta.type !== "status") return;
    this.#urgent.add(room);
    this.#immediate ??= setImmediate(() => {
      this.#immediate = undefined;
      for (const r of this.#urgent) this.#flushRoom(r);
      this.#urgent.clear();
    });
  }

  /** Sends every room's pending deltas now. */
  flush(): void {
    for (const room of [...this.#rooms.keys()]) this.#flushRoom(room);
  }

  close(): void {
    clearInterval(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#rooms.clear();
    this.#urgent.clear();
  }

  #flushRoom(room: string): void {
    const pending = this.#rooms.get(room);
    // Dropped, not emptied: a room whose last subscriber left leaves nothing behind.
    this.#rooms.delete(room);
    if (pending && pending.items.size > 0) this.send(room, [...pending.items.values()]);
  }
}

class Pending {
  /** Insertion order is send order; a key is a check for results, a sequence number otherwise. */
  readonly items = new Map<string, LiveDelta>();
  readonly #logKeys: string[] = [];
  #seq = 0;

  constructor(private readonly maxLogLines: number) {}

  add(delta: LiveDelta): void {
    const key =
      delta.type === "result" ? `result\u0000${delta.service}\u0000${delta.check}` : `${this.#seq++}`;
    this.items.delete(key);
    this.items.set(key, delta);
    if (delta.type !== "log") return;
    this.#logKeys.push(key);
    if (this.#logKeys.length > this.maxLogLines) this.items.delete(this.#logKeys.shift() ?? "");
  }
}
