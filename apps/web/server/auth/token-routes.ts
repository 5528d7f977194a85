import { Ok } from "../../lib/auth-contract.ts";
import { ErrorBody } from "../../lib/contract.ts";
import { CreateToken, TokenCreated, TokensResponse } from "../../lib/tokens-contract.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { ApiTokens } from "./api-tokens.ts";
import type { AuthRoute } from "./http.ts";
import type { Principal } from "./roles.ts";
import { atLeast } from "./roles.ts";

/*
 * Tokens are managed from a signed-in browser session only: a token that could mint tokens could
 * outlive its own revocation. Each user sees and revokes their own; an admin sees and revokes all.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERR = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } as const;
const SCOPE_NEEDS = { read: "viewer", operate: "operator", admin: "admin" } as const;

type UserPrincipal = Extract<Principal, { kind: "user" }>;

function sessionUser(principal: Principal | null): UserPrincipal {
  if (
    principal?.kind !== "user" ||
    !UUID.test(principal.userId) ||
    /^(token|local):/.test(principal.sessionId)
  )
    throw new HttpError("forbidden", "tokens are managed from a signed-in session, not with a token");
  return principal;
}

export function tokenRoutes(tokens: ApiTokens): AuthRoute[] {
  return [
    {
      method: "GET",
      path: "/api/tokens",
      doc: {
        summary: "Your API tokens (an admin's: everyone's)",
        tag: "tokens",
        responses: { 200: TokensResponse, ...ERR },
      },
      handle: async ({ principal }) => {
        const user = sessionUser(principal);
        const list = await tokens.list({ userId: user.userId, all: user.role === "admin" });
        return { body: { tokens: list } };
      },
    },
    {
      method: "POST",
      path: "/api/tokens",
      doc: {
        summary: "Create an API token; the answer is the only time it is shown",
        tag: "tokens",
        body: CreateToken,
        responses: { 201: TokenCreated, ...ERR },
      },
      handle: async ({ body, principal }) => {
        const user = sessionUser(principal);
        const req = parseInput(CreateToken, body ?? {});
        if (!atLeast(user.role, SCOPE_NEEDS[req.scope]))
          throw new HttpError("forbidden", `scope "${req.scope}" is above your role (${user.role})`, "scope");
        const { token, view } = await tokens.create({ userId: user.userId, ...req });
        const created: TokenCreated = { ...view, token };
        return { status: 201, body: created };
      },
    },
    {
      method: "POST",
      path: "/api/tokens/:id/revoke",
      doc: { summary: "Revoke an API token", tag: "tokens", responses: { 200: Ok, ...ERR } },
      handle: async ({ params, principal }) => {
        const user = sessionUser(principal);
        const id = params.id ?? "";
        const done =
          UUID.test(id) && (await tokens.revoke({ id, userId: user.userId, any: user.role === "admin" }));
        if (!done) throw new HttpError("not_found", "no such live token", "id");
        return { body: { ok: true } };
      },
    },
  ];
}
