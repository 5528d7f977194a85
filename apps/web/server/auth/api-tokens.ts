import { randomUUID } from "node:crypto";
import type { TokenScope, TokenView } from "../../lib/tokens-contract.ts";
import type { Principal, Role } from "./roles.ts";
import { atLeast } from "./roles.ts";
import { rows, type Sql } from "./sql.ts";
import { hashToken, newToken } from "./tokens.ts";

/*
 * API tokens: per user, with a scope and an expiry, stored as SHA-256 (the token carries 256 bits,
 * so a fast hash is enough and a leaked table cannot be replayed). The scope is capped by the
 * owner's role at every use: demoting a user demotes their tokens; deleting them ends them.
 */

export const TOKEN_PREFIX = "vgl_";
const SCOPE_ROLE: Record<TokenScope, Role> = { read: "viewer", operate: "operator", admin: "admin" };
/** Writing last_used_at on every request would turn each read into a write: once a minute is enough. */
const LAST_USED_EVERY_MS = 60_000;

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  userId: string;
  owner: string;
  ownerRole: Role;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLS = `t.id::text as id, t.name, t.prefix, t.scope, t.user_id::text as "userId", u.username as owner,
  u.role as "ownerRole", t.created_at as "createdAt", t.expires_at as "expiresAt",
  t.last_used_at as "lastUsedAt", t.revoked_at as "revokedAt"`;

export const tokenView = (t: TokenRow): TokenView => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scope: t.scope,
  owner: t.owner,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** The lower of the token's scope and its owner's current role. */
export function effectiveRole(scope: TokenScope, ownerRole: Role): Role {
  const scoped = SCOPE_ROLE[scope];
  return atLeast(ownerRole, scoped) ? scoped : ownerRole;
}

export class ApiTokens {
  readonly #lastWrite = new Map<string, number>();

  constructor(
    private readonly sql: Sql,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the token itself once; only its hash is kept. */
  async create(q: {
    userId: string;
    name: string;
    scope: TokenScope;
    expiresInDays: number;
  }): Promise<{ token: string; view: TokenView }> {
    const token = `${TOKEN_PREFIX}${newToken(32)}`;
    const id = randomUUID();
    const expiresAt = new Date(this.now() + q.expiresInDays * 86_400_000);
    await this.sql.query(
      `insert into api_tokens (id, token_hash, prefix, user_id, name, scope, expires_at)
       values ($1::uuid, $2, $3, $4::uuid, $5, $6, $7)`,
      [id, hashToken(token), token.slice(0, 10), q.userId, q.name, q.scope, expiresAt],
    );
    const [row] = await this.#select("t.id = $1::uuid", [id]);
    if (!row) throw new Error("token row vanished right after insert");
    return { token, view: tokenView(row) };
  }

  /** A user's tokens (all users' with `all`), newest first, revoked ones included. */
  async list(q: { userId: string; all: boolean }): Promise<TokenView[]> {
    const found = q.all
      ? await this.#select("true", [])
      : await this.#select("t.user_id = $1::uuid", [q.userId]);
    return found.map(tokenView);
  }

  /** Revokes a token of `userId` (any user's with `any`); false when there is no such live token. */
  async revoke(q: { id: string; userId: string; any: boolean }): Promise<boolean> {
    const out = await this.sql.query(
      `update api_tokens set revoked_at = now()
       where id = $1::uuid and revoked_at is null and ($3 or user_id = $2::uuid)`,
      [q.id, q.userId, q.any],
    );
    return (out.rowCount ?? 0) > 0;
  }

  /** Bearer token → principal; null when unknown, expired, revoked, or its owner is gone. */
  async principal(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return null;
    const [row] = await this.#select("t.token_hash = $1", [hashToken(token)]);
    if (!row || row.revokedAt !== null || row.expiresAt.getTime() <= this.now()) return null;
    this.#touch(row.id);
    return {
      kind: "user",
      name: row.owner,
      role: effectiveRole(row.scope, row.ownerRole),
      userId: row.userId,
      sessionId: `token:${row.id}`,
    };
  }

  #touch(id: string): void {
    const now = this.now();
    if (now - (this.#lastWrite.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.#lastWrite.set(id, now);
    if (this.#lastWrite.size > 10_000) this.#lastWrite.clear();
    // Best effort: a failed bookkeeping write must not fail the request it rode on.
    void this.sql
      .query("update api_tokens set last_used_at = now() where id = $1::uuid", [id])
      .catch(() => {});
  }

  async #select(where: string, values: unknown[]): Promise<TokenRow[]> {
    return rows<TokenRow>(
      this.sql,
      `select ${COLS} from api_tokens t join users u on u.id = t.user_id where ${where}
       order by t.created_at desc limit 500`,
      values,
    );
  }
}
