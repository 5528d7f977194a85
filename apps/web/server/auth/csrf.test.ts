import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import {
  csrfBinding,
  csrfKey,
  csrfToken,
  csrfTokenValid,
  newPresessionNonce,
  sessionBinding,
} from "./csrf.ts";
import { hashToken } from "./tokens.ts";

/*
 * What a CSRF token is bound to, read from the request's own cookies. The HTTP flow (sign-in,
 * sign-out, another session's token) is in csrf.integration.test.ts.
 */

const withCookie = (cookie: string) => ({ headers: { cookie }, socket: {} }) as unknown as IncomingMessage;
const key = csrfKey("a server secret of at least thirty-two characters");

describe("csrfBinding", () => {
  it("binds to the session cookie's id when there is one, else to a well-formed pre-session nonce", () => {
    const nonce = newPresessionNonce();
    expect(csrfBinding(withCookie(`vigil_session=abc; vigil_presession=${nonce}`))).toEqual({
      kind: "session",
      id: hashToken("abc"),
    });
    expect(csrfBinding(withCookie(`vigil_presession=${nonce}`))).toEqual({ kind: "presession", id: nonce });
    // Cookies the server did not set bind nothing: an oversized session cookie, a made-up nonce.
    expect(csrfBinding(withCookie(`vigil_session=${"s".repeat(129)}; vigil_presession=${nonce}`))).toEqual({
      kind: "presession",
      id: nonce,
    });
    expect(csrfBinding(withCookie("vigil_presession=short"))).toBeNull();
    expect(csrfBinding(withCookie(""))).toBeNull();
  });
});

describe("csrfTokenValid", () => {
  it("accepts only the token of the request's own binding", () => {
    const mine = withCookie("vigil_session=mine");
    const token = csrfToken(key, sessionBinding("mine"));
    expect(csrfTokenValid(key, mine, token)).toBe(true);
    expect(csrfTokenValid(key, withCookie("vigil_session=theirs"), token)).toBe(false);
    expect(csrfTokenValid(csrfKey("another secret, also thirty-two chars"), mine, token)).toBe(false);
    expect(csrfTokenValid(key, mine, token.slice(1))).toBe(false);
    expect(csrfTokenValid(key, mine, [token])).toBe(false);
    expect(csrfTokenValid(key, mine, undefined)).toBe(false);
    // The same id as a nonce gives another token: the kinds never stand in for each other.
    expect(csrfToken(key, { kind: "presession", id: hashToken("mine") })).not.toBe(token);
    expect(csrfTokenValid(key, withCookie(""), token)).toBe(false);
  });
});
