import { createHmac, randomBytes } from "node:crypto";
import { safeEqual } from "../auth/tokens.ts";

/*
 * Instance-to-instance authentication for forwarded requests: HMAC-SHA256 with the cluster key
 * (derived from VIGIL_SECRET, else a random key stored once in auth_secrets) over method, path,
 * timestamp, a nonce and the raw body. A request is accepted once, inside a short window: the
 * nonce is remembered for the window, and the body names the member it is meant for (a member id
 * is new at every process start), so a captured request cannot be played to another instance or
 * to a restarted one either.
 */

export const PEER_HEADERS = {
  timestamp: "x-vigil-peer-timestamp",
  nonce: "x-vigil-peer-nonce",
  signature: "x-vigil-peer-signature",
} as const;

/** How far a forwarded request's timestamp may be from the receiver's clock, either way. */
export const PEER_WINDOW_MS = 30_000;

export interface SignedRequest {
  method: string;
  path: string;
  body: string;
}

export type PeerVerdict =
  | { ok: true }
  | { ok: false; reason: "bad timestamp" | "bad signature" | "replayed" };

export function signPeer(key: string, r: SignedRequest, timestamp: string, nonce: string): string {
  return createHmac("sha256", key)
    .update(`${r.method.toUpperCase()}\n${r.path}\n${timestamp}\n${nonce}\n${r.body}`, "utf8")
    .digest("hex");
}

export class PeerAuth {
  /** nonce → when it may be forgotten (its timestamp has left the window by then). */
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The headers that authenticate `r` as coming from a member of this cluster. */
  headers(r: SignedRequest): Record<string, string> {
    const timestamp = String(this.now());
    const nonce = randomBytes(16).toString("hex");
    return {
      [PEER_HEADERS.timestamp]: timestamp,
      [PEER_HEADERS.nonce]: nonce,
      [PEER_HEADERS.signature]: signPeer(this.key, r, timestamp, nonce),
    };
  }

  /** Checks a request; on success its nonce is spent (a second use is "replayed"). */
  verify(r: SignedRequest, headers: Readonly<Record<string, string | string[] | undefined>>): PeerVerdict {
    const header = (name: string) => {
      const v = headers[name];
      return typeof v === "string" ? v : "";
    };
    const timestamp = header(PEER_HEADERS.timestamp);
    const nonce = header(PEER_HEADERS.nonce);
    const now = this.now();
    if (!/^\d{12,14}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > PEER_WINDOW_MS)
      return { ok: false, reason: "bad timestamp" };
    if (
      !/^[0-9a-f]{32}$/.test(nonce) ||
      !safeEqual(header(PEER_HEADERS.signature), signPeer(this.key, r, timestamp, nonce))
    )
      return { ok: false, reason: "bad signature" };
    this.#forgetOld(now);
    if (this.#seen.has(nonce)) return { ok: false, reason: "replayed" };
    this.#seen.set(nonce, Number(timestamp) + PEER_WINDOW_MS);
    return { ok: true };
  }

  #forgetOld(now: number): void {
    for (const [nonce, until] of this.#seen) if (until < now) this.#seen.delete(nonce);
  }
}
