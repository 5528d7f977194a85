import { z } from "zod";

/*
 * The wire contract of sign-in, users, share links and the audit log. Server and browser both
 * import it; the server validates every body with these schemas.
 */

export const Role = z.enum(["viewer", "operator", "admin"]);
export type Role = z.infer<typeof Role>;

const Username = z
  .string()
  .trim()
  .min(1, "username is required")
  .max(64)
  .regex(/^[\w.@-]+$/, "username: letters, digits and . _ @ - only");
const NewPassword = z.string().min(10, "password: at least 10 characters").max(256);

export const LoginRequest = z.object({ username: z.string().max(64), password: z.string().max(256) });
export const SetupRequest = z.object({
  token: z.string().min(1).max(200),
  username: Username,
  password: NewPassword,
});
export const PasswordChange = z.object({ current: z.string().max(256), next: NewPassword });

export const SessionView = z.object({
  /** null = not signed in (or a share link / anonymous wall display, see `kind`). */
  user: z.object({ name: z.string(), role: Role }).nullable(),
  kind: z.enum(["user", "share", "anonymous", "none"]),
  /** True while no user exists and the setup token from the server log is needed. */
  setupRequired: z.boolean(),
  /** Bound to this session (before sign-in, to a nonce cookie): send it as `x-csrf-token` with POSTs. */
  csrfToken: z.string(),
  share: z.object({ service: z.string(), from: z.string(), to: z.string() }).nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

export const UserView = z.object({ id: z.string(), username: z.string(), role: Role, createdAt: z.string() });
export type UserView = z.infer<typeof UserView>;
export const UsersResponse = z.object({ users: z.array(UserView) });
export const CreateUser = z.object({ username: Username, role: Role, password: NewPassword });
export const SetRole = z.object({ role: Role });
export const ResetPassword = z.object({ password: NewPassword });

export const CreateShare = z.object({
  service: z.string().min(1).max(200),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  /** Link lifetime; at most 30 days. */
  expiresInHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
});
export const ShareView = z.object({
  id: z.string(),
  service: z.string(),
  from: z.string(),
  to: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type ShareView = z.infer<typeof ShareView>;
export const ShareCreated = z.object({ id: z.string(), url: z.string(), expiresAt: z.string() });
export const SharesResponse = z.object({ shares: z.array(ShareView) });

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
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
export const AuditResponse = z.object({ entries: z.array(AuditEntry) });
export const Ok = z.object({ ok: z.literal(true) });
