import {
  AuditQuery,
  AuditResponse,
  CreateShare,
  CreateUser,
  Ok,
  ResetPassword,
  SetRole,
  ShareCreated,
  SharesResponse,
  UsersResponse,
  UserView,
} from "../../lib/auth-contract.ts";
import { ErrorBody } from "../../lib/contract.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { AuthRoute } from "./http.ts";
import type { AuthService } from "./service.ts";
import type { UserRow } from "./store.ts";

const view = (u: UserRow): UserView => ({
  id: u.id,
  username: u.username,
  role: u.role,
  createdAt: u.createdAt.toISOString(),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const idParam = (params: Record<string, string>): string => {
  const id = params.id ?? "";
  if (!UUID.test(id)) throw new HttpError("not_found", "no such id", "id");
  return id;
};
const ERR = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } as const;

/** Users (admin), share links (operator) and the audit log (everyone signed in). */
export function adminRoutes(deps: { auth: AuthService; services: () => string[] }): AuthRoute[] {
  const { auth } = deps;
  const store = auth.store;
  /** The last admin cannot be demoted or deleted: nobody could manage users any more. */
  const keepsAnAdmin = async (id: string) => {
    const user = await store.userById(id);
    if (!user) throw new HttpError("not_found", "no such user", "id");
    if (user.role === "admin" && (await store.adminCount()) <= 1)
      throw new HttpError("conflict", "the last admin cannot be demoted or deleted");
  };

  return [
    {
      method: "GET",
      path: "/api/users",
      doc: { summary: "Users and their roles", tag: "users", responses: { 200: UsersResponse } },
      handle: async () => ({ body: { users: (await store.users()).map(view) } }),
    },
    {
      method: "POST",
      path: "/api/users",
      doc: { summary: "Create a user", tag: "users", body: CreateUser, responses: { 201: UserView, ...ERR } },
      handle: async ({ body }) => {
        const req = parseInput(CreateUser, body ?? {});
        const user = await auth.createUser(req.username, req.role, req.password);
        if (!user) throw new HttpError("conflict", `user "${req.username}" already exists`, "username");
        return { status: 201, body: view(user) };
      },
    },
    {
      method: "POST",
      path: "/api/users/:id/role",
      doc: { summary: "Change a user's role", tag: "users", body: SetRole, responses: { 200: Ok, ...ERR } },
      handle: async ({ params, body }) => {
        const id = idParam(params);
        const { role } = parseInput(SetRole, body ?? {});
        if (role !== "admin") await keepsAnAdmin(id);
        if (!(await auth.setRole(id, role))) throw new HttpError("not_found", "no such user", "id");
        return { body: { ok: true } };
      },
    },
    {
      method: "POST",
      path: "/api/users/:id/password",
      doc: {
        summary: "Set a user's password; their sessions end",
        tag: "users",
        body: ResetPassword,
        responses: { 200: Ok, ...ERR },
      },
      handle: async ({ params, body }) => {
        const id = idParam(params);
        const { password } = parseInput(ResetPassword, body ?? {});
        if (!(await store.userById(id))) throw new HttpError("not_found", "no such user", "id");
        await auth.resetPassword(id, password);
        return { body: { ok: true } };
      },
    },
    {
      method: "POST",
      path: "/api/users/:id/delete",
      doc: { summary: "Delete a user; their sessions end", tag: "users", responses: { 200: Ok, ...ERR } },
      handle: async ({ params }) => {
        const id = idParam(params);
        await keepsAnAdmin(id);
        if (!(await auth.deleteUser(id))) throw new HttpError("not_found", "no such user", "id");
        return { body: { ok: true } };
      },
    },
    {
      method: "GET",
      path: "/api/shares",
      doc: { summary: "Share links, newest first", tag: "shares", responses: { 200: SharesResponse } },
      handle: async () => ({
        body: {
          shares: (await store.shares()).map((s) => ({
            id: s.id,
            service: s.service,
            from: s.from.toISOString(),
            to: s.to.toISOString(),
            expiresAt: s.expiresAt.toISOString(),
            revokedAt: s.revokedAt ? s.revokedAt.toISOString() : null,
            createdBy: s.createdBy,
            createdAt: s.createdAt.toISOString(),
          })),
        },
      }),
    },
    {
      method: "POST",
      path: "/api/shares",
      doc: {
        summary: "A read-only link to one service over one window",
        tag: "shares",
        body: CreateShare,
        responses: { 201: ShareCreated, ...ERR },
      },
      handle: async ({ body, principal }) => {
        const req = parseInput(CreateShare, body ?? {});
        if (!deps.services().includes(req.service))
          throw new HttpError("bad_request", `service: unknown service "${req.service}"`, "service");
        const from = new Date(req.from);
        const to = new Date(req.to);
        if (to <= from) throw new HttpError("bad_request", "to: must be after from", "to");
        const expiresAt = new Date(Date.now() + req.expiresInHours * 3_600_000);
        const out = await auth.createShare({
          service: req.service,
          from,
          to,
          expiresAt,
          createdBy: principal?.name ?? "",
        });
        return {
          status: 201,
          body: { id: out.id, url: `/share/${out.token}`, expiresAt: expiresAt.toISOString() },
        };
      },
    },
    {
      method: "POST",
      path: "/api/shares/:id/revoke",
      doc: { summary: "Revoke a share link", tag: "shares", responses: { 200: Ok, ...ERR } },
      handle: async ({ params }) => {
        if (!(await store.revokeShare(idParam(params))))
          throw new HttpError("not_found", "no active share link with that id", "id");
        return { body: { ok: true } };
      },
    },
    {
      method: "GET",
      path: "/api/audit",
      doc: {
        summary: "Audit log of actions and admin changes, newest first; page with `cursor` = `older`",
        tag: "audit",
        query: AuditQuery,
        responses: { 200: AuditResponse, 400: ErrorBody },
      },
      handle: async ({ query }) => {
        const q = parseInput(AuditQuery, query);
        const page = await store.audit({
          limit: q.limit,
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.before ? { before: new Date(q.before) } : {}),
        });
        return {
          body: {
            older: page.older,
            entries: page.rows.map((r) => ({
              id: r.id,
              at: r.at.toISOString(),
              actor: r.actor,
              role: r.role,
              action: r.action,
              target: r.target,
              params: r.params,
              result: r.result,
              status: r.status,
              durationMs: r.durationMs,
              requestId: r.requestId,
            })),
          },
        };
      },
    },
  ];
}
