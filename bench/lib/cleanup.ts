/**
 * Teardown steps registered as things start, run in reverse order even when the scenario failed.
 * Each step is bounded so one stuck teardown cannot hang the suite; failures become notes.
 */
export class Cleanup {
  readonly #steps: { what: string; fn: () => Promise<unknown> | unknown }[] = [];
  readonly notes: string[] = [];

  add(what: string, fn: () => Promise<unknown> | unknown): void {
    this.#steps.push({ what, fn });
  }

  async run(timeoutMs = 30_000): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.fn),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        const text = `cleanup "${step.what}" failed: ${error instanceof Error ? error.message : String(error)}`;
        this.notes.push(text);
        console.error(`  ${text}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** Runs `body` with a Cleanup that always runs afterwards. */
export async function withCleanup<T>(body: (cleanup: Cleanup) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  try {
    return await body(cleanup);
  } finally {
    await cleanup.run();
  }
}
