import pg from "pg";

/*
 * A small message bus between the instances of a cluster on Postgres LISTEN/NOTIFY: no broker
 * beside the database the cluster already shares. Delivery is at most once and only to instances
 * listening at the time — NOTIFY keeps nothing for a listener that was away — so what travels on
 * it must be state that the next message repeats (each check's latest result), never the only
 * copy of anything. History is written by its owner to the tables, not through the bus.
 */

/** Postgres refuses a NOTIFY payload of 8000 bytes or more; some room is left for the envelope. */
export const MAX_PAYLOAD_BYTES = 7900;

export interface ClusterBusOptions {
  /** The bus holds one connection of its own for LISTEN (a pool would recycle it). */
  url: string;
  /** Where NOTIFYs are sent from. */
  pool: Pick<pg.Pool, "query">;
  /** A plain identifier: the LISTEN statement cannot take it as a parameter. */
  channel: string;
  /** This instance; its own messages come back to it and are skipped. */
  sender: string;
  /** Items another instance published, as parsed JSON: the receiver validates them. */
  receive: (items: unknown[], sender: string) => void;
  /** Queued items leave together once per tick. Default 200 ms. */
  tickMs?: number;
  /** Items waiting while a slow database holds up the sends; the oldest go first. Default 20,000. */
  maxQueued?: number;
  log: (line: string) => void;
}

export interface ClusterBus<T> {
  /** Queues an item for the next tick. */
  publish(item: T): void;
  /** Listens (reconnecting for as long as the bus is open); settles after the first attempt. */
  start(): Promise<void>;
  /** Sends what is queued now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Packs JSON items into as few payloads as fit under `maxBytes`, in order:
 * `{"s":sender,"i":[...]}`. An item too large to travel alone is returned in `oversize`.
 */
export function packPayloads(
  sender: string,
  items: readonly string[],
  maxBytes = MAX_PAYLOAD_BYTES,
): { payloads: string[]; oversize: number } {
  const head = `{"s":${JSON.stringify(sender)},"i":[`;
  const room = maxBytes - Buffer.byteLength(head) - 2;
  const payloads: string[] = [];
  let oversize = 0;
  let batch: string[] = [];
  let used = 0;
  const close = () => {
    if (batch.length > 0) payloads.push(`${head}${batch.join(",")}]}`);
    batch = [];
    used = 0;
  };
  for (const item of items) {
    const size = Buffer.byteLength(item);
    if (size > room) {
      oversize++;
      continue;
    }
    // One comma between items.
    if (used + size + (batch.length > 0 ? 1 : 0) > room) close();
    used += size + (batch.length > 0 ? 1 : 0);
    batch.push(item);
  }
  close();
  return { payloads, oversize };
}

export function createClusterBus<T>(opts: ClusterBusOptions): ClusterBus<T> {
  if (!IDENTIFIER.test(opts.channel))
    throw new Error(`bus channel "${opts.channel}" is not a plain identifier`);
  const maxQueued = opts.maxQueued ?? 20_000;
  let queue: string[] = [];
  let closed = false;
  let sending: Promise<void> = Promise.resolve();
  let listener: pg.Client | undefined;
  let listening: Promise<void> | undefined;
  let lastError = "";
  const report = (what: string, err: unknown) => {
    const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    if (message !== lastError) opts.log(`cluster bus: ${message}`);
    lastError = message;
  };

  const deliver = (payload: string | undefined) => {
    try {
      const message = JSON.parse(payload ?? "") as { s?: unknown; i?: unknown };
      if (message.s === opts.sender || typeof message.s !== "string" || !Array.isArray(message.i)) return;
      opts.receive(message.i, message.s);
    } catch (err) {
      report("a message could not be read", err);
    }
  };

  /** One LISTEN connection, until it ends; `ready` once listening (or failed to). */
  async function listenOnce(ready: () => void): Promise<void> {
    const client = new pg.Client({
      connectionString: opts.url,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    listener = client;
    // Errors end the connection; 'end' below is where the loop learns of it.
    client.on("error", (err) => report("listening connection lost", err));
    const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
    try {
      await client.connect();
      client.on("notification", (n) => deliver(n.payload));
      await client.query(`LISTEN ${opts.channel}`);
      if (lastError) opts.log("cluster bus: listening again");
      lastError = "";
    } catch (err) {
      report("cannot listen", err);
      await client.end().catch(() => undefined);
      ready();
      return;
    }
    ready();
    // A connection cut without a reset (a dead route) is noticed by a query that never answers.
    const ping = setInterval(() => {
      client.query({ text: "SELECT 1", query_timeout: 5000 } as pg.QueryConfig).catch(() => {
        void client.end().catch(() => undefined);
      });
    }, 10_000);
    ping.unref();
    await ended;
    clearInterval(ping);
  }

  async function listenLoop(first: () => void): Promise<void> {
    while (!closed) {
      await listenOnce(first);
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 1000).unref());
    }
  }

  async function send(): Promise<void> {
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    const { payloads, oversize } = packPayloads(opts.sender, items);
    if (oversize > 0) opts.log(`cluster bus: ${oversize} item(s) over ${MAX_PAYLOAD_BYTES} bytes not sent`);
    try {
      for (const payload of payloads)
        await opts.pool.query("SELECT pg_notify($1, $2)", [opts.channel, payload]);
    } catch (err) {
      // The receivers are healed by the next results; what did not go is not resent later.
      report("could not send", err);
    }
  }

  const flush = () => {
    sending = sending.then(send);
    return sending;
  };
  const timer = setInterval(() => void flush(), opts.tickMs ?? 200);
  timer.unref();

  return {
    publish(item) {
      if (closed) return;
      queue.push(JSON.stringify(item));
      if (queue.length > maxQueued) queue.splice(0, queue.length - maxQueued);
    },
    start() {
      listening ??= new Promise<void>((resolve) => {
        void listenLoop(resolve);
      });
      return listening;
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
      await listener?.end().catch(() => undefined);
    },
  };
}
