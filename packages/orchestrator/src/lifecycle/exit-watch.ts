import type { ExitInfo } from "../runners/types.ts";

/** Lets a start that is waiting for health notice at once that the service died instead. */
export class ExitWatch {
  readonly #waiters = new Map<string, Set<(exit: ExitInfo) => void>>();

  notify(exit: ExitInfo): void {
    const waiters = this.#waiters.get(exit.service);
    this.#waiters.delete(exit.service);
    for (const resolve of waiters ?? []) resolve(exit);
  }

  /** Resolves on the service's next exit; never resolves once `signal` aborts (no leak). */
  next(service: string, signal: AbortSignal): Promise<ExitInfo> {
    return new Promise((resolve) => {
      if (signal.aborted) return;
      const set = this.#waiters.get(service) ?? new Set();
      this.#waiters.set(service, set);
      set.add(resolve);
      signal.addEventListener("abort", () => set.delete(resolve), { once: true });
    });
  }
}
