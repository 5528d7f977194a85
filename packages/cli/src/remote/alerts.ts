import { EXIT } from "../exit.ts";
import type { CliIo } from "../io.ts";
import type { Palette } from "../ui/color.ts";
import { api, type RemoteServer } from "./client.ts";
import { RemoteDeliveries, type RemoteDelivery, RemoteQueued, RemoteSilenced } from "./wire.ts";

/*
 * The alerting commands through the server: the alerting runtime (outbox, silences) lives in the
 * server process, so there is no standalone fallback for them.
 */

const POLL_MS = 250;
/** How long `alerts test` follows the delivery before it says it is still pending. */
export const TEST_FOLLOW_MS = 30_000;

export async function silence(
  io: CliIo,
  server: RemoteServer,
  service: string,
  duration: string,
): Promise<number> {
  const body = { service, duration };
  const ok = await api(server, "POST", "/api/alerts/silences", RemoteSilenced, { body, signal: io.signal });
  io.stdout.write(
    `${ok.service}: no alerts until ${ok.until} (shows as maintenance) — through ${server.url}\n`,
  );
  return EXIT.ok;
}

/**
 * Queues a test notification on `channel`, then follows the delivery log until it was delivered
 * (exit 0), refused or given up (exit 1), or `followMs` passed (exit 1, still retrying).
 */
export async function testChannel(
  io: CliIo,
  palette: Palette,
  server: RemoteServer,
  channel: string,
  followMs = TEST_FOLLOW_MS,
): Promise<number> {
  const path = `/api/alerts/channels/${encodeURIComponent(channel)}/test`;
  const { ids } = await api(server, "POST", path, RemoteQueued, { signal: io.signal });
  io.stdout.write(`test notification queued on ${channel} through ${server.url}\n`);
  const log = `/api/alerts/deliveries?channel=${encodeURIComponent(channel)}&limit=100`;
  const deadline = Date.now() + followMs;
  let last: RemoteDelivery | undefined;
  while (Date.now() < deadline && !io.signal?.aborted) {
    const { deliveries } = await api(server, "GET", log, RemoteDeliveries, { signal: io.signal });
    const mine = deliveries.filter((d) => ids.includes(d.entryId));
    const sent = mine.find((d) => d.ok);
    if (sent) {
      const code = sent.status === null ? "" : `HTTP ${sent.status}, `;
      io.stdout.write(`${palette.green("✓")} delivered (${code}${Math.round(sent.durationMs)} ms)\n`);
      return EXIT.ok;
    }
    last = mine[0] ?? last;
    if (last?.state === "failed") break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const why = last
    ? (last.error ?? (last.status === null ? "no answer" : `HTTP ${last.status}`))
    : "no attempt yet";
  const state =
    last?.state === "failed"
      ? "failed"
      : `not delivered after ${Math.round(followMs / 1000)} s (still retrying)`;
  io.stderr.write(`${palette.red("✗")} ${channel}: ${state}: ${why}\n`);
  return EXIT.failed;
}
