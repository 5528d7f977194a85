/** A counting semaphore whose waiters can give up through an AbortSignal. */
export class Semaphore {
  #active = 0;
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private max: number) {}

  setMax(max: number): void {
    this.max = Math.max(1, max);
    this.#drain();
  }

  get active(): number {
    return this.#active;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.max) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  release(): void {
    this.#active--;
    this.#drain();
  }

  #drain(): void {
    while (this.#active < this.max && this.#waiters.length > 0) {
      this.#active++;
      this.#waiters.shift()?.resolve();
    }
  }
}
