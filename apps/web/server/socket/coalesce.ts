import type { ResultDelta } from "../../lib/contract.ts";

/**
 * Holds the newest result per (service, check) and emits at most one per check per tick, so a
 * check probed every 50 ms — or 1,000 services probed at once — cannot flood browsers. A status
 * change is never coalesced; only `result` deltas are.
 */
export class ResultCoalescer {
  readonly #pending = new Map<string, ResultDelta>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly emit: (batch: ResultDelta[]) => void,
    tickMs = 250,
  ) {
    this.#timer = setInterval(() => this.flush(), tickMs);
    this.#timer.unref();
  }

  push(delta: ResultDelta): void {
    this.#pending.set(`${delta.service}\u0000${delta.check}`, delta);
  }

  flush(): void {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    this.emit(batch);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#pending.clear();
  }
}
