import * as z from "zod/mini";
import { Instant } from "./instant";

/*
 * The wire contract of sign-in, users, share links and the audit log. Server and browser both
 * import it; the server validates every body with these schemas.
 */

export const Role = z.enum(["viewer", "operator", "admin"]);
export type Role = z.infer<typeof Role>;

const Username = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "username is required"),
    z.maxLength(64),
    z.regex(/^[\w.@-]+$/, "username: letters, digits and . _ @ - only"),
  );
const NewPassword = z.string().check(z.minLength(10, "password: at least 10 characters"), z.maxLength(256));

export const LoginRequest = z.object({
  username: z.string().check(z.maxLength(64)),
  password: z.string().check(z.maxLength(256)),
});
export const SetupRequest = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(200)),
  username: Username,
  password: NewPassword,
});
export const PasswordChange = z.object({ current: z.string().check(z.maxLength(256)), next: NewPassword });

export const SessionView = z.object({
  /** null = not signed in (or a share link / anonymous wall display, see `kind`). */
  user: z.nullable(z.object({ name: z.string(), role: Role })),
  kind: z.enum(["user", "share", "anonymous", "none"]),
  /** True while no user exists and the setup token from the server log is needed. */
  setupRequired: z.boolean(),
  /** Bound to this session (before sign-in, to a nonce cookie): send it as `x-csrf-token` with POSTs. */
  csrfToken: z.string(),
  share: z.nullable(z.object({ service: z.string(), from: z.string(), to: z.string() })),
});
export type SessionView = z.infer<typeof SessionView>;

export const UserView = z.object({ id: z.string(), username: z.string(), role: Role, createdAt: z.string() });
export type UserView = z.infer<typeof UserView>;
export const UsersResponse = z.object({ users: z.array(UserView) });
export const CreateUser = z.object({ username: Username, role: Role, password: NewPassword });
export const SetRole = z.object({ role: Role });
export const ResetPassword = z.object({ password: NewPassword });

export const CreateShare = z.object({
  service: z.string().check(z.minLength(1), z.maxLength(200)),
  // Inside 1970–9999 (lib/instant.ts): `0000-01-01…` is a 400, not a Postgres error (issue 19).
  from: Instant,
  to: Instant,
  /** Link lifetime; at most 30 days. */
  expiresInHours: z._default(z.number().check(z.positive(), z.maximum(24 * 30)), 24),
});
export const ShareView = z.object({
  id: z.string(),
  service: z.string(),
  from: z.string(),
  to: z.string(),
  expiresAt: z.string(),
  revokedAt: z.nullable(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type ShareView = z.infer<typeof ShareView>;
export const ShareCreated = z.object({ id: z.string(), url: z.string(), expiresAt: z.string() });
export const SharesResponse = z.object({ shares: z.array(ShareView) });

export const AuditQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
  before: z.optional(z.iso.datetime({ offset: true })),
  /** The `older` of the previous page: rows older than it. */
  cursor: z.optional(
    z.string().check(z.regex(/^[1-9]\d{0,18}$/, "cursor: the `older` value of a previous page")),
  ),
});
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  params: z.unknown(),
  result: z.string(),
  status: z.number(),
  durationMs: z.number(),
  requestId: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditResponse = z.object({
  entries: z.array(AuditEntry),
  /** Cursor of the next (older) page; null when this page reaches the oldest row. */
  older: z.nullable(z.string()),
});
export const Ok = z.object({ ok: z.literal(true) });

/** One of the signed-in user's own sessions (GET /api/auth/sessions). */
export const OwnSession = z.object({
  /** A public handle (a prefix of the stored hash), never the cookie. */
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
});
export type OwnSession = z.infer<typeof OwnSession>;
export const OwnSessionsResponse = z.object({ sessions: z.array(OwnSession) });
export const SessionsEnded = z.object({ ended: z.number() });
