import { type ChildProcess, fork } from "node:child_process";

/**
 * A helper program (load target, socket clients, a Vigil host) in its own process, so its CPU and
 * memory never count as the measured process's. Runs under the same tsx loader (fork inherits
 * execArgv) and talks over the IPC channel; it exits by itself when the channel closes.
 */
export interface Child<Out extends { type: string }> {
  pid: number;
  send(message: unknown): void;
  /** The next message of this type (already queued or yet to come), or a timeout error. */
  next<T extends Out["type"]>(type: T, timeoutMs: number): Promise<Extract<Out, { type: T }>>;
  /** Every message as it arrives (in addition to the queue `next` reads). */
  onMessage(fn: (message: Out) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function forkChild<Out extends { type: string }>(
  file: string,
  opts: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Child<Out> {
  const proc: ChildProcess = fork(file, opts.args ?? [], {
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const queue: Out[] = [];
  const waiters: { type: string; resolve: (m: Out) => void }[] = [];
  const listeners: ((m: Out) => void)[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once("exit", () => {
      exited = true;
      resolve();
    }),
  );

  proc.on("message", (raw) => {
    const message = raw as Out;
    for (const fn of listeners) fn(message);
    const i = waiters.findIndex((w) => w.type === message.type);
    const waiter = i >= 0 ? waiters.splice(i, 1)[0] : undefined;
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });

  return {
    pid: proc.pid ?? -1,
    send(message) {
      if (!exited && proc.connected) proc.send(message as object);
    },
    next(type, timeoutMs) {
      const i = queue.findIndex((m) => m.type === type);
      const queued = i >= 0 ? queue.splice(i, 1)[0] : undefined;
      if (queued) return Promise.resolve(queued as Extract<Out, { type: typeof type }>);
      return new Promise((resolve, reject) => {
        const waiter = {
          type,
          resolve: (m: Out) => settle(() => resolve(m as Extract<Out, { type: typeof type }>)),
        };
        const timer = setTimeout(
          () => settle(() => reject(new Error(`${file}: no "${type}" message within ${timeoutMs} ms`))),
          timeoutMs,
        );
        const died = () => settle(() => reject(new Error(`${file} exited before sending "${type}"`)));
        proc.once("exit", died);
        function settle(fn: () => void) {
          clearTimeout(timer);
          proc.off("exit", died);
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          fn();
        }
        waiters.push(waiter);
      });
    },
    onMessage(fn) {
      listeners.push(fn);
    },
    async stop(graceMs = 5000) {
      if (exited) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Child side: typed send, and exit when the parent goes away (no orphans after a crash). */
export function parentChannel<Out extends { type: string }, In>(
  onMessage: (message: In) => void,
): {
  send(message: Out): void;
} {
  process.on("message", (raw) => onMessage(raw as In));
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  return {
    send(message) {
      process.send?.(message);
    },
  };
}
