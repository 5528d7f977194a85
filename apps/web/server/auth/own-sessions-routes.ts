import { OwnSessionsResponse, SessionsEnded } from "../../lib/auth-contract.ts";
import { ErrorBody } from "../../lib/contract.ts";
import { HttpError } from "../rest/errors.ts";
import { type AuthRoute, unauthorized } from "./http.ts";
import type { AuthService } from "./service.ts";

/*
 * A user's own sessions: where they are signed in, and signing out the ones they do not
 * recognise (a lost laptop, a shared machine). Only ever the caller's own sessions.
 */
const PUBLIC_ID = /^[0-9a-f]{16}$/;

export function ownSessionRoutes(deps: { auth: AuthService }): AuthRoute[] {
  const { auth } = deps;
  return [
    {
      method: "GET",
      path: "/api/auth/sessions",
      doc: {
        summary: "Your sessions, most recently used first",
        tag: "auth",
        responses: { 200: OwnSessionsResponse, 401: ErrorBody },
      },
      handle: async ({ principal }) => {
        if (principal?.kind !== "user") return unauthorized("sign in required");
        const sessions = await auth.ownSessions.list(principal);
        return {
          body: {
            sessions: sessions.map((s) => ({
              id: s.id,
              current: s.current,
              createdAt: s.createdAt.toISOString(),
              lastSeenAt: s.lastSeenAt.toISOString(),
              expiresAt: s.expiresAt.toISOString(),
              ip: s.ip,
              userAgent: s.userAgent,
            })),
          },
        };
      },
    },
    {
      method: "POST",
      path: "/api/auth/sessions/:id/revoke",
      doc: {
        summary: "Sign out one of your sessions",
        tag: "auth",
        responses: { 200: SessionsEnded, 401: ErrorBody, 404: ErrorBody },
      },
      handle: async ({ principal, params }) => {
        if (principal?.kind !== "user") return unauthorized("sign in required");
        const id = params.id ?? "";
        if (!PUBLIC_ID.test(id)) throw new HttpError("not_found", "no such session of yours", "id");
        const ended = await auth.ownSessions.end(principal, { id });
        if (ended === 0) throw new HttpError("not_found", "no such session of yours", "id");
        return { body: { ended } };
      },
    },
    {
      method: "POST",
      path: "/api/auth/sessions/revoke-others",
      doc: {
        summary: "Sign out all your other sessions",
        tag: "auth",
        responses: { 200: SessionsEnded, 401: ErrorBody },
      },
      handle: async ({ principal }) => {
        if (principal?.kind !== "user") return unauthorized("sign in required");
        return { body: { ended: await auth.ownSessions.end(principal, { others: true }) } };
      },
    },
  ];
}
