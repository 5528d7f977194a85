import * as z from "zod/mini";
import {
  LoginRequest,
  Ok,
  PasswordChange,
  type SessionView,
  SessionView as SessionViewSchema,
  SetupRequest,
} from "../../lib/auth-contract.ts";
import { ErrorBody } from "../../lib/contract.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import { clientIp } from "./client-ip.ts";
import {
  CSRF_COOKIE,
  cookie,
  PRESESSION_COOKIE,
  SESSION_COOKIE,
  SHARE_COOKIE,
  serializeCookie,
} from "./cookies.ts";
import { type CsrfBinding, csrfBinding, newPresessionNonce, sessionBinding } from "./csrf.ts";
import { type AuthContext, type AuthReply, type AuthRoute, unauthorized } from "./http.ts";
import type { AuthService } from "./service.ts";

const tooMany = (retryAfterSeconds: number, what: string): AuthReply => ({
  status: 429,
  body: { error: { code: "rate_limited", message: `too many failed ${what}; try again later` } },
  headers: { "retry-after": String(retryAfterSeconds) },
});

/** Sign-in, sign-out, first-run setup, own password, and the session the UI starts from. */
export function sessionRoutes(deps: {
  auth: AuthService;
  proxyHops: number;
  secureCookies: (ctx: AuthContext) => boolean;
}): AuthRoute[] {
  const { auth } = deps;
  const sessionCookie = (ctx: AuthContext, token: string, maxAgeSeconds: number) =>
    serializeCookie(SESSION_COOKIE, token, {
      sameSite: "Lax",
      secure: deps.secureCookies(ctx),
      maxAgeSeconds,
    });
  // Readable by the page script, which echoes it in x-csrf-token; Strict so it never rides on a
  // cross-site request. The server never compares against it (csrf.ts recomputes the token).
  const csrfCookie = (ctx: AuthContext, binding: CsrfBinding) =>
    serializeCookie(CSRF_COOKIE, auth.csrfToken(binding), {
      sameSite: "Strict",
      secure: deps.secureCookies(ctx),
      httpOnly: false,
    });
  const nonceCookie = (ctx: AuthContext, nonce: string) =>
    serializeCookie(PRESESSION_COOKIE, nonce, { sameSite: "Strict", secure: deps.secureCookies(ctx) });
  const expired = (ctx: AuthContext, ...names: string[]) =>
    names.map((name) =>
      serializeCookie(name, "", { sameSite: "Lax", secure: deps.secureCookies(ctx), maxAgeSeconds: 0 }),
    );
  const signedIn = async (ctx: AuthContext, username: string, password: string): Promise<AuthReply> => {
    const agent = ctx.req.headers["user-agent"];
    const out = await auth.login(username, password, clientIp(ctx.req, deps.proxyHops), agent);
    if (out.ok) {
      const maxAge = (out.expiresAt.getTime() - Date.now()) / 1000;
      return {
        body: { user: { name: out.user.username, role: out.user.role } },
        // The token now follows the new session. The nonce goes too, so the pre-sign-in token
        // does not come back to life after a later sign-out.
        headers: {
          "set-cookie": [
            sessionCookie(ctx, out.token, maxAge),
            csrfCookie(ctx, sessionBinding(out.token)),
            ...expired(ctx, PRESESSION_COOKIE),
          ],
        },
      };
    }
    if (out.reason === "limited") return tooMany(out.retryAfterSeconds, "sign-ins");
    return unauthorized("wrong username or password");
  };

  return [
    {
      method: "GET",
      path: "/api/auth/session",
      doc: {
        summary: "Who is signed in, and the CSRF token",
        tag: "auth",
        responses: { 200: SessionViewSchema },
      },
      handle: async (ctx) => {
        const p = ctx.principal;
        const setCookies: string[] = [];
        let binding = csrfBinding(ctx.req, deps.secureCookies(ctx));
        if (!binding) {
          const nonce = newPresessionNonce();
          binding = { kind: "presession", id: nonce };
          setCookies.push(nonceCookie(ctx, nonce));
        }
        const csrfToken = auth.csrfToken(binding);
        if (cookie(ctx.req, CSRF_COOKIE, deps.secureCookies(ctx)) !== csrfToken)
          setCookies.push(csrfCookie(ctx, binding));
        const body: SessionView = {
          user: p?.kind === "user" ? { name: p.name, role: p.role } : null,
          kind: p === null || p.kind === "open" ? "none" : p.kind,
          setupRequired: await auth.needsSetup(),
          csrfToken,
          share:
            p?.kind === "share"
              ? { service: p.share.service, from: p.share.from.toISOString(), to: p.share.to.toISOString() }
              : null,
        };
        return { body, ...(setCookies.length > 0 ? { headers: { "set-cookie": setCookies } } : {}) };
      },
    },
    {
      method: "POST",
      path: "/api/auth/login",
      doc: {
        summary: "Sign in; sets the session cookie",
        tag: "auth",
        body: LoginRequest,
        responses: { 200: z.pick(SessionViewSchema, { user: true }), 401: ErrorBody, 429: ErrorBody },
      },
      handle: async (ctx) => {
        const { username, password } = parseInput(LoginRequest, ctx.body ?? {});
        return signedIn(ctx, username, password);
      },
    },
    {
      method: "POST",
      path: "/api/auth/logout",
      doc: { summary: "Sign out; the session is revoked", tag: "auth", responses: { 200: Ok } },
      handle: async (ctx) => {
        if (ctx.principal?.kind === "user") await auth.logout(ctx.principal.sessionId);
        return {
          body: { ok: true },
          headers: {
            "set-cookie": expired(ctx, SESSION_COOKIE, SHARE_COOKIE, CSRF_COOKIE, PRESESSION_COOKIE),
          },
        };
      },
    },
    {
      method: "POST",
      path: "/api/auth/setup",
      doc: {
        summary: "First run: create the first admin with the setup token from the server log",
        tag: "auth",
        body: SetupRequest,
        responses: { 200: z.pick(SessionViewSchema, { user: true }), 403: ErrorBody },
      },
      handle: async (ctx) => {
        const req = parseInput(SetupRequest, ctx.body ?? {});
        const user = await auth.setup(req.token, req.username, req.password);
        if (!user) throw new HttpError("forbidden", "setup is not available");
        return signedIn(ctx, req.username, req.password);
      },
    },
    {
      method: "POST",
      path: "/api/auth/password",
      doc: {
        summary: "Change your own password; every session of yours ends, sign in again",
        tag: "auth",
        body: PasswordChange,
        responses: { 200: Ok, 401: ErrorBody, 429: ErrorBody },
      },
      handle: async (ctx) => {
        const req = parseInput(PasswordChange, ctx.body ?? {});
        if (ctx.principal?.kind !== "user") return unauthorized("sign in required");
        const out = await auth.changePassword(ctx.principal, req.current, req.next);
        if (out.ok === false && out.reason === "limited")
          return tooMany(out.retryAfterSeconds, "password changes");
        if (out.ok === false && out.reason === "signed-out") {
          return {
            status: 401,
            body: {
              error: {
                code: "unauthorized",
                message: "current password is wrong; after repeated failures this session has ended",
              },
            },
            headers: { "set-cookie": expired(ctx, SESSION_COOKIE, CSRF_COOKIE, PRESESSION_COOKIE) },
          };
        }
        if (!out.ok) return unauthorized("current password is wrong");
        return {
          body: { ok: true },
          headers: { "set-cookie": expired(ctx, SESSION_COOKIE, CSRF_COOKIE, PRESESSION_COOKIE) },
        };
      },
    },
  ];
}
