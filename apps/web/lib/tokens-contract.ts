import * as z from "zod";

/*
 * The wire contract of API tokens (Authorization: Bearer) and deploy hooks. Server and browser
 * both import it; the server validates every body with these schemas.
 */

/** read = viewer, operate = operator, admin = admin; never more than the owner's own role. */
export const TokenScope = z.enum(["read", "operate", "admin"]);
export type TokenScope = z.infer<typeof TokenScope>;

export const CreateToken = z.object({
  name: z.string().trim().min(1, "name is required").max(80),
  scope: TokenScope,
  /** 1 day to 1 year: a token that never expires is a leak waiting to happen. */
  expiresInDays: z.number().int().min(1).max(366),
});
export type CreateToken = z.infer<typeof CreateToken>;

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters, to tell tokens apart; the token itself is shown once. */
  prefix: z.string(),
  scope: TokenScope,
  owner: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TokenView = z.infer<typeof TokenView>;

/** The only answer that ever carries the token. */
export const TokenCreated = TokenView.extend({ token: z.string() });
export type TokenCreated = z.infer<typeof TokenCreated>;

export const TokensResponse = z.object({ tokens: z.array(TokenView) });
export type TokensResponse = z.infer<typeof TokensResponse>;

export const HookAction = z.enum(["restart", "rollback", "redeploy"]);
export type HookAction = z.infer<typeof HookAction>;

export const CreateHook = z.object({ service: z.string().min(1).max(200), action: HookAction });

export const HookView = z.object({
  id: z.string(),
  service: z.string(),
  action: HookAction,
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type HookView = z.infer<typeof HookView>;

/** The URL to POST to and the HMAC key, shown once. */
export const HookCreated = HookView.extend({ url: z.string(), secret: z.string() });
export type HookCreated = z.infer<typeof HookCreated>;

export const HooksResponse = z.object({ hooks: z.array(HookView) });
