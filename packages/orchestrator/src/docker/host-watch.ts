import type Docker from "dockerode";
import { dockerErrorText, engineUnreachable } from "./client.ts";

/*
 * Whether each Docker host in use answers, asked on its own (a ping every few seconds) rather than
 * read from checks: a docker service with only an http check, or none, still shows that its engine
 * is gone, and the restart policy learns it as soon as the engine stops answering.
 */

export interface HostWatchOptions {
  /** The hosts docker services run on now (undefined: the local engine); read on every round. */
  hosts: () => readonly (string | undefined)[];
  clientFor: (host: string | undefined) => Docker;
  /** A host stopped answering (`error`: why, in the engine client's words) or answers again (undefined). */
  onChange: (host: string | undefined, error: string | undefined) => void;
  intervalMs?: number;
  timeoutMs?: number;
  /** Failed pings in a row before a host counts as unreachable (a loaded engine can miss one). */
  misses?: number;
}

export interface HostWatch {
  close(): void;
}

export function watchHosts(opts: HostWatchOptions): HostWatch {
  const intervalMs = opts.intervalMs ?? 5000;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const misses = opts.misses ?? 2;
  const known = new Map<string | undefined, string | undefined>();
  const missed = new Map<string | undefined, number>();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;

  async function ask(host: string | undefined): Promise<string | undefined> {
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      await ping(opts.clientFor(host), signal);
      return undefined;
    } catch (error) {
      if (abort.signal.aborted) return known.get(host);
      if (signal.aborted) return `no answer within ${timeoutMs / 1000} s`;
      // An engine that answers with an error is there: only a failed connection counts.
      return engineUnreachable(error) ? dockerErrorText(error) : undefined;
    }
  }

  async function round(): Promise<void> {
    const hosts = [...new Set(opts.hosts())];
    const answers = await Promise.all(hosts.map(async (host) => [host, await ask(host)] as const));
    if (abort.signal.aborted) return;
    for (const [host, answer] of answers) {
      const inARow = answer === undefined ? 0 : (missed.get(host) ?? 0) + 1;
      missed.set(host, inARow);
      const before = known.get(host);
      // Down after `misses` failures in a row (then said with the latest error); up at the first answer.
      const error = answer !== undefined && (inARow >= misses || before !== undefined) ? answer : undefined;
      known.set(host, error);
      if ((before === undefined) !== (error === undefined)) opts.onChange(host, error);
    }
  }

  // A listener that throws must not end the watch (nor surface as an unhandled rejection).
  const next = () =>
    round()
      .catch(() => {})
      .finally(() => abort.signal.aborted || loop());
  const loop = () => {
    timer = setTimeout(() => void next(), intervalMs);
    timer.unref();
  };
  void next();
  return {
    close() {
      abort.abort();
      clearTimeout(timer);
    },
  };
}

/** dockerode's ping takes `{ abortSignal }` (lib/docker.js) though its types declare no options. */
const ping = (client: Docker, abortSignal: AbortSignal): Promise<unknown> =>
  (client.ping as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>).call(client, {
    abortSignal,
  });
