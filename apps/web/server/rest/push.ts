import type { IncomingMessage, ServerResponse } from "node:http";
import type { HeartbeatStore, Ping, PushTarget } from "@vigil/orchestrator";
import { FailureLimiter } from "../auth/rate-limit.ts";

/*
 * POST /api/push/<token>[/start|/fail|/<exit code>] — where cron jobs and workers report to their
 * push checks. Outside the session-guarded router on purpose: the 192-bit token in the path is the
 * only credential (see SECURITY.md, "Push URLs"), bodies are plain text (last log lines), not JSON.
 * The token never reaches a log line or an answer.
 */

/** Bodies above this are refused (413): a few dozen log lines are what a failure needs. */
export const PUSH_MAX_BODY = 10 * 1024;
const BODY_TIMEOUT_MS = 10_000;
const PATH = /^\/api\/push\/([A-Za-z0-9_-]{1,64})(?:\/(start|fail|success|\d{1,3}))?\/?$/;

export interface PushReceiverOptions {
  heartbeats: HeartbeatStore;
  /** token → check, for the current config (recomputed by the caller on reload). */
  targets: () => ReadonlyMap<string, PushTarget>;
  /** Per check: at most this many pings per minute (default 60); more get 429. */
  perMinute?: number;
  now?: () => number;
  /** Cluster mode: a ping recorded here goes on to the other instances (their owner may probe it). */
  relay?: (service: string, check: string, ping: Omit<Ping, "at">) => void;
}

/** Answers push paths (true) and leaves every other request alone (false). */
export function createPushReceiver(opts: PushReceiverOptions) {
  const perMinute = opts.perMinute ?? 60;
  const clock = opts.now ? { now: opts.now } : {};
  const perCheck = new FailureLimiter({ max: perMinute, windowMs: 60_000, maxKeys: 10_000, ...clock });
  // Unknown tokens by client address: guessing is hopeless, but it should not even be cheap.
  const misses = new FailureLimiter({ max: 30, windowMs: 60_000, maxKeys: 10_000, ...clock });

  return async function receive(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    if (!pathname.startsWith("/api/push/")) return false;
    try {
      const match = PATH.exec(pathname);
      if (req.method !== "POST") {
        // A GET must never count as a ping: link previews and crawlers fetch pasted URLs.
        return reply(res, 405, "use POST, e.g. curl -fsS -X POST <url>\n", { allow: "POST" });
      }
      const client = req.socket.remoteAddress ?? "unknown";
      const missWait = misses.retryAfter(client);
      if (missWait > 0) return reply(res, 429, "too many requests\n", { "retry-after": String(missWait) });
      const token = match?.[1];
      const target = token === undefined ? undefined : opts.targets().get(token);
      const kind = parseKind(match?.[2]);
      if (!target || !token || !kind) {
        misses.fail(client);
        return reply(res, 404, "no such push check\n");
      }
      const wait = perCheck.retryAfter(token);
      if (wait > 0) return reply(res, 429, "too many pings\n", { "retry-after": String(wait) });
      perCheck.fail(token);
      const body = await readText(req);
      if (body === undefined) {
        // The rest of an oversized body is never read: answer, then drop the connection.
        res.once("finish", () => req.destroy());
        return reply(res, 413, `body over ${PUSH_MAX_BODY} bytes\n`, { connection: "close" });
      }
      const ping = { ...kind, ...(body ? { body } : {}) };
      opts.heartbeats.record(target.service, target.check, ping);
      opts.relay?.(target.service, target.check, ping);
      return reply(res, 200, "OK\n");
    } catch {
      return reply(res, 400, "bad request\n");
    }
  };
}

/** "start", "fail", "success" or an exit code (0 = success); undefined when malformed. */
export function parseKind(suffix: string | undefined): Omit<Ping, "at" | "body"> | undefined {
  if (suffix === undefined || suffix === "success") return { kind: "success" };
  if (suffix === "start" || suffix === "fail") return { kind: suffix };
  const code = Number(suffix);
  if (!Number.isInteger(code) || code > 255) return undefined;
  return code === 0 ? { kind: "success", exitCode: 0 } : { kind: "fail", exitCode: code };
}

/** The body as text, or undefined when over the limit (the rest is not read). */
function readText(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error("push body not received in time"));
    }, BODY_TIMEOUT_MS);
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > PUSH_MAX_BODY) {
        clearTimeout(timer);
        req.removeAllListeners("data");
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function reply(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): true {
  if (!res.headersSent) {
    res.writeHead(status, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      // The URL is a credential: keep it out of Referer headers of anything it links to.
      "referrer-policy": "no-referrer",
      ...headers,
    });
    res.end(text);
  }
  return true;
}
