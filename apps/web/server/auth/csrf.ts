import type { IncomingMessage } from "node:http";
import { cookie, PRESESSION_COOKIE, SESSION_COOKIE } from "./cookies.ts";
import { hashToken, hmac, newToken, safeEqual } from "./tokens.ts";

/*
 * CSRF tokens bound to the browser that asks: HMAC(key, session id) once signed in, HMAC(key,
 * pre-session nonce) before (sign-in, setup). A token learnt in another browser, or planted there
 * as a cookie, names another session and is refused. Nothing is stored: the server recomputes the
 * token from the request's own cookies, so the readable `vigil_csrf` cookie is only how the page
 * gets it, never what the header is compared with.
 */

/** What a token is bound to: the session cookie as sent, else the pre-session nonce. */
export interface CsrfBinding {
  kind: "session" | "presession";
  id: string;
}

// newToken()'s output; anything else in the nonce cookie was not set by us.
const NONCE = /^[A-Za-z0-9_-]{43}$/;

export function newPresessionNonce(): string {
  return newToken();
}

export function sessionBinding(sessionToken: string): CsrfBinding {
  return { kind: "session", id: hashToken(sessionToken) };
}

/**
 * A session cookie binds even when it is stale or revoked: it still names this browser, the
 * request then fails authentication (401) rather than CSRF, and the sign-in page keeps working.
 * Same length cap as the session lookup, so both read the cookie the same way.
 */
export function csrfBinding(req: IncomingMessage, secure = false): CsrfBinding | null {
  const session = cookie(req, SESSION_COOKIE, secure);
  if (session && session.length <= 128) return sessionBinding(session);
  const nonce = cookie(req, PRESESSION_COOKIE, secure);
  if (nonce && NONCE.test(nonce)) return { kind: "presession", id: nonce };
  return null;
}

/**
 * `key` is derived from the server secret for this one use, so no CSRF token can double as a
 * share-link signature (both are HMACs under the same secret otherwise).
 */
export function csrfKey(secret: string): string {
  return hmac(secret, "vigil csrf key v1");
}

export function csrfToken(key: string, binding: CsrfBinding): string {
  return hmac(key, `${binding.kind}\u0000${binding.id}`);
}

/** The header must be the token of this request's own binding, compared in constant time. */
export function csrfTokenValid(key: string, req: IncomingMessage, header: unknown, secure = false): boolean {
  const binding = csrfBinding(req, secure);
  return binding !== null && typeof header === "string" && safeEqual(header, csrfToken(key, binding));
}
