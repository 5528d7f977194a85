import { afterEach, describe, expect, it } from "vitest";
import type { ChannelContext, DeliveryOutcome, Notification } from "../../notify/types.ts";
import { startHttpServer, type TestServer } from "../../testing/http-server.ts";
import { MemoryOutboxStore } from "../../testing/outbox-store.ts";
import { waitFor } from "../../testing/wait.ts";
import { Dispatcher, type SendFn } from "./dispatcher.ts";
import { OutboxRecorder } from "./recorder.ts";
import type { DeliveryAttempt, OutboxEntry } from "./types.ts";

const notification = (id: string, incidentKey = "redis@2026-11-30T03:00:00.000Z"): Notification => ({
  schema: "vigil.notification/v1",
  id,
  incidentKey,
  event: "trigger",
  severity: "critical",
  title: "redis is unhealthy",
  reason: "connect ECONNREFUSED",
  rootCause: { service: "redis", status: "unhealthy" },
  affected: [],
  at: "2026-11-30T03:00:00.000Z",
  links: { service: "http://127.0.0.1:3000/services/redis" },
});

/** Posts the notification as JSON to `<receiver>/<channel>` with a secret header, like a webhook. */
function sendTo(servers: Record<string, TestServer>): SendFn {
  return async (channel: string, n: Notification, ctx: ChannelContext): Promise<DeliveryOutcome> => {
    const target = `${servers[channel]!.url}/hook?token=s3cret-token`;
    const sent = {
      target,
      method: "POST",
      headers: { authorization: "Bearer s3cret-token" },
      body: JSON.stringify(n),
    };
    try {
      const res = await fetch(target, {
        method: "POST",
        headers: sent.headers,
        body: sent.body,
        signal: ctx.signal,
      });
      const text = await res.text();
      if (res.ok) return { ok: true, sent, status: res.status, response: text };
      const after = res.headers.get("retry-after");
      return {
        ok: false,
        sent,
        status: res.status,
        error: `HTTP ${res.status}`,
        retryable: res.status >= 500 || res.status === 429,
        ...(after === null ? {} : { retryAfterMs: Number(after) * 1000 }),
      };
    } catch (error) {
      return { ok: false, sent, error: String(error), retryable: true };
    }
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function setup(
  handlers: Record<
    string,
    (hit: number, id: string) => { status: number; headers?: Record<string, string> } | null
  >,
  extra: { giveUpAfterMs?: number } = {},
) {
  const received: Record<string, string[]> = {};
  const servers: Record<string, TestServer> = {};
  for (const [channel, answer] of Object.entries(handlers)) {
    received[channel] = [];
    servers[channel] = await startHttpServer((req, res, hit) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const id = (JSON.parse(body) as Notification).id;
        const reply = answer(hit, id);
        if (reply === null) return; // a receiver that never answers
        if (reply.status < 300) received[channel]!.push(id);
        res.writeHead(reply.status, reply.headers).end("ok");
      });
    });
    cleanups.push(() => servers[channel]!.close());
  }
  const store = new MemoryOutboxStore();
  const recorder = new OutboxRecorder(store, { retryMs: 20, maxRetryMs: 50 });
  const attempts: { entry: OutboxEntry; attempt: DeliveryAttempt }[] = [];
  const dispatcher = new Dispatcher({
    recorder,
    send: sendTo(servers),
    redact: (text) => text.replaceAll("s3cret-token", "***"),
    giveUpAfterMs: extra.giveUpAfterMs ?? 60_000,
    timeoutMs: 300,
    backoff: { initialMs: 20, maxMs: 100, factor: 2 },
    onAttempt: (entry, attempt) => attempts.push({ entry: { ...entry }, attempt }),
  });
  cleanups.push(async () => {
    await dispatcher.stop();
    await recorder.stop();
  });
  // The receiver counts a delivery before its answer reaches the dispatcher, so tests that go on to
  // read the store wait for the dispatcher's own record of the attempt, not the receiver's.
  const delivered = (count: number) =>
    waitFor(() => attempts.filter((a) => a.attempt.ok).length >= count, 5000);
  return { store, recorder, dispatcher, received, attempts, delivered };
}

describe("outbox dispatcher (real HTTP receivers; in-memory store test double)", () => {
  it("retries a receiver that answers 500 three times, then delivers once and logs every attempt redacted", async () => {
    const { store, recorder, dispatcher, received, delivered } = await setup({
      hook: (hit) => ({ status: hit <= 3 ? 500 : 200 }),
    });
    dispatcher.submit(notification("n1"), ["hook"]);
    expect(await delivered(1)).toBe(true);
    await recorder.flushed();
    expect(received.hook).toEqual(["n1"]);
    const entry = store.entries.get("n1/hook");
    expect(entry).toMatchObject({ state: "sent", attempts: 4 });
    const log = [...store.attempts.values()];
    expect(log.map((a) => [a.ok, a.status])).toEqual([
      [false, 500],
      [false, 500],
      [false, 500],
      [true, 200],
    ]);
    expect(JSON.stringify(log)).not.toContain("s3cret-token");
    expect(log[0]!.request?.headers?.authorization).toBe("Bearer ***");
  });

  it("waits at least as long as Retry-After asks", async () => {
    const { dispatcher, attempts, delivered } = await setup({
      hook: (hit) => (hit === 1 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }),
    });
    dispatcher.submit(notification("n1"), ["hook"]);
    expect(await delivered(1)).toBe(true);
    const first = attempts[0]!;
    expect(first.entry.nextAttemptAt - first.attempt.at).toBeGreaterThanOrEqual(1000);
    expect(attempts[1]!.attempt.at).toBeGreaterThanOrEqual(first.entry.nextAttemptAt);
  });

  it("marks a refused delivery failed at once and a retryable one failed after the give-up time", async () => {
    const { store, recorder, dispatcher } = await setup(
      { refused: () => ({ status: 400 }), broken: () => ({ status: 503 }) },
      { giveUpAfterMs: 150 },
    );
    dispatcher.submit(notification("n1"), ["refused", "broken"]);
    expect(await waitFor(() => store.entries.get("n1/broken")?.state === "failed", 5000)).toBe(true);
    await recorder.flushed();
    expect(store.entries.get("n1/refused")).toMatchObject({
      state: "failed",
      attempts: 1,
      lastError: "HTTP 400",
    });
    expect(store.entries.get("n1/broken")!.attempts).toBeGreaterThan(1);
  });

  it("keeps delivering to other channels while one channel's receiver hangs", async () => {
    const { received, dispatcher, attempts } = await setup({
      dead: () => null,
      live: () => ({ status: 200 }),
    });
    dispatcher.submit(notification("n1"), ["dead", "live"]);
    dispatcher.submit(notification("n2"), ["dead", "live"]);
    expect(await waitFor(() => received.live!.length === 2, 5000)).toBe(true);
    expect(received.live).toEqual(["n1", "n2"]);
    // The dead channel's first attempt had not even finished when the live one was done.
    expect(attempts.filter((a) => a.entry.channel === "dead").length).toBeLessThanOrEqual(1);
    expect(dispatcher.depth().get("dead")?.queued).toBe(2);
  });

  it("sends while the store is down and records everything once it is back", async () => {
    const { store, recorder, dispatcher, delivered } = await setup({ hook: () => ({ status: 200 }) });
    store.down = true;
    dispatcher.submit(notification("n1"), ["hook"]);
    expect(await delivered(1)).toBe(true);
    expect(store.entries.size).toBe(0);
    expect(recorder.backlog).toBe(2);
    store.down = false;
    await recorder.flushed(AbortSignal.timeout(5000));
    expect(store.entries.get("n1/hook")).toMatchObject({ state: "sent", attempts: 1 });
    expect(store.attempts.size).toBe(1);
  });

  it("sends pending entries found in the store after a restart, once", async () => {
    const first = await setup({ hook: () => ({ status: 200 }) });
    // Written to the outbox, then the process died before sending: the entry is pending in the store.
    first.recorder.add([
      {
        id: "n1/hook",
        channel: "hook",
        notification: notification("n1"),
        createdAt: Date.now(),
        state: "pending",
        attempts: 0,
        nextAttemptAt: Date.now(),
      },
    ]);
    await first.recorder.flushed();
    const pending = await first.store.pending();
    first.dispatcher.resume(pending);
    first.dispatcher.resume(pending); // resuming twice queues it once
    expect(await first.delivered(1)).toBe(true);
    await first.recorder.flushed();
    expect(await first.store.pending()).toEqual([]);
    expect(first.received.hook).toEqual(["n1"]);
  });

  it("delivers other incidents while one waits out its backoff, and an incident's notifications in order", async () => {
    let failuresLeft = 2;
    const { received, dispatcher } = await setup({
      hook: (_hit, id) => (id === "a-trigger" && failuresLeft-- > 0 ? { status: 503 } : { status: 200 }),
    });
    dispatcher.submit(notification("a-trigger", "A"), ["hook"]);
    dispatcher.submit(notification("b-trigger", "B"), ["hook"]);
    dispatcher.submit(notification("a-resolve", "A"), ["hook"]);
    expect(await waitFor(() => received.hook!.length === 3, 5000)).toBe(true);
    expect(received.hook).toEqual(["b-trigger", "a-trigger", "a-resolve"]);
  });

  it("does not send again an entry it already delivered when a pending() read raced the delivery", async () => {
    const { received, dispatcher, recorder, delivered } = await setup({ hook: () => ({ status: 200 }) });
    const [entry] = dispatcher.submit(notification("n1"), ["hook"]);
    expect(await delivered(1)).toBe(true);
    // What a store read taken before the "sent" write landed would return: the entry, still pending.
    dispatcher.resume([{ ...entry!, state: "pending", attempts: 0 }]);
    await recorder.flushed();
    await new Promise((r) => setTimeout(r, 200));
    expect(received.hook).toEqual(["n1"]);
  });
});
