import type { ProbeContext, ProbeResult } from "../types.ts";
import { errorText, scrubPassword, unhealthy, whenAborted } from "./result.ts";

/** Races a client call against the run's signal, so a library that ignores signals cannot hold the run. */
export type Step = <T>(work: Promise<T>) => Promise<T>;

export interface ClientOptions<C> {
  /** The target as it may be printed (no credentials): prefixes every failure message. */
  where: string;
  /** Scrubbed from failure messages in case a driver echoes them: URLs (their password) and literal secrets. */
  secrets?: { urls?: readonly (string | undefined)[]; values?: readonly (string | undefined)[] };
  /**
   * Opens the client. Call `adopt` as soon as a closable handle exists (before the handshake), so an
   * abort mid-connect closes the socket at once; a client that only exists once connected (nats) is
   * adopted when `open` resolves, even if that happens after the run gave up.
   */
  open: (signal: AbortSignal, adopt: (client: C) => void) => Promise<C>;
  /** Closes the client; errors are ignored (the probe has its answer by then). */
  close: (client: C) => unknown;
}

/**
 * The skeleton every client probe (postgres, redis, nats, mysql, amqp, mqtt...) shares: open the
 * client, run the probe's steps raced against the signal, and always close it — on success, on
 * failure, on abort, and when a connection arrives after the run was abandoned. A failure becomes an
 * unhealthy result `<where>: <error>` with secrets removed; after an abort the error is rethrown so
 * runCheck reports the timeout or cancellation.
 */
export async function withClient<C>(
  ctx: ProbeContext,
  options: ClientOptions<C>,
  use: (client: C, step: Step) => Promise<ProbeResult>,
): Promise<ProbeResult> {
  let client: C | undefined;
  let finished = false;
  let closed = false;
  const close = () => {
    if (client === undefined || closed) return;
    closed = true;
    try {
      void Promise.resolve(options.close(client)).catch(() => {});
    } catch {
      // A close that throws synchronously changes nothing: the probe is done with the client.
    }
  };
  const adopt = (opened: C) => {
    if (client !== undefined) return;
    client = opened;
    if (finished || ctx.signal.aborted) close();
  };
  const step: Step = (work) => Promise.race([work, whenAborted(ctx.signal)]);
  ctx.signal.addEventListener("abort", close, { once: true });
  try {
    const opening = options.open(ctx.signal, adopt);
    opening.then(adopt, () => {});
    return await use(await step(opening), step);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return unhealthy(`${options.where}: ${scrubSecrets(errorText(error), options.secrets)}`);
  } finally {
    finished = true;
    ctx.signal.removeEventListener("abort", close);
    close();
  }
}

/** Removes the passwords of `urls` and every literal secret from `text`. */
export function scrubSecrets(text: string, secrets: ClientOptions<unknown>["secrets"]): string {
  let out = text;
  for (const url of secrets?.urls ?? []) if (url !== undefined) out = scrubPassword(out, url);
  for (const value of secrets?.values ?? []) {
    if (value !== undefined && value.length > 0) out = out.split(value).join("***");
  }
  return out;
}
