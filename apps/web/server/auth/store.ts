import { randomUUID } from "node:crypto";
import type { Role } from "./roles.ts";
import { rows, type Sql } from "./sql.ts";

/*
 * Users, sessions, share links, the audit log and the server secret in Postgres (tables from the
 * add_auth migration). Raw SQL on the shared pool: every statement is one round trip and the
 * atomic ones (first admin, revocations) stay single statements.
 */

export interface UserRow {
  id: string;
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface SessionRow {
  userId: string;
  username: string;
  role: Role;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** One of a user's own sessions, for their session list. */
export interface OwnSessionRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface ShareRow {
  id: string;
  service: string;
  from: Date;
  to: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

export interface AuditInput {
  actor: string;
  role: string;
  action: string;
  target: string;
  params: unknown;
  result: string;
  status: number;
  durationMs: number;
  requestId: string;
  ip: string | null;
}

export interface AuditRow extends AuditInput {
  id: string;
  at: Date;
}

const USER_COLS = `id::text as id, username, role, password_hash as "passwordHash", created_at as "createdAt"`;
const SHARE_COLS = `id::text as id, service, from_at as "from", to_at as "to", expires_at as "expiresAt",
  revoked_at as "revokedAt", created_by as "createdBy", created_at as "createdAt"`;

export class AuthStore {
  constructor(private readonly sql: Sql) {}

  async userCount(): Promise<number> {
    const [row] = await rows<{ n: number }>(this.sql, "select count(*)::int as n from users");
    return row?.n ?? 0;
  }

  async userByName(username: string): Promise<UserRow | null> {
    const [row] = await rows<UserRow>(this.sql, `select ${USER_COLS} from users where username = lower($1)`, [
      username,
    ]);
    return row ?? null;
  }

  async userById(id: string): Promise<UserRow | null> {
    const [row] = await rows<UserRow>(this.sql, `select ${USER_COLS} from users where id = $1::uuid`, [id]);
    return row ?? null;
  }

  async users(): Promise<UserRow[]> {
    return rows<UserRow>(this.sql, `select ${USER_COLS} from users order by username`);
  }

  /** Null when the name is taken. */
  async createUser(u: { username: string; role: Role; passwordHash: string }): Promise<UserRow | null> {
    const [row] = await rows<UserRow>(
      this.sql,
      `insert into users (id, username, role, password_hash) values ($1::uuid, $2, $3, $4)
       on conflict (username) do nothing returning ${USER_COLS}`,
      [randomUUID(), u.username, u.role, u.passwordHash],
    );
    return row ?? null;
  }

  /**
   * Creates the first admin only while no user exists, in one statement: claiming the
   * `first_admin` key and inserting the user succeed together or not at all, so two concurrent
   * setups cannot both win.
   */
  async createFirstAdmin(u: { username: string; passwordHash: string }): Promise<UserRow | null> {
    const id = randomUUID();
    const [row] = await rows<UserRow>(
      this.sql,
      `with claim as (
         insert into auth_secrets (key, value) values ('first_admin', $4)
         on conflict (key) do nothing returning 1
       )
       insert into users (id, username, role, password_hash)
       select $1::uuid, $2, 'admin', $3 from claim where not exists (select 1 from users)
       returning ${USER_COLS}`,
      [id, u.username, u.passwordHash, u.username],
    );
    return row ?? null;
  }

  async setRole(id: string, role: Role): Promise<boolean> {
    const out = await this.sql.query("update users set role = $2, updated_at = now() where id = $1::uuid", [
      id,
      role,
    ]);
    return (out.rowCount ?? 0) > 0;
  }

  /** Changes the hash and revokes every session of the user in one statement. */
  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.sql.query(
      `with u as (update users set password_hash = $2, updated_at = now() where id = $1::uuid returning id)
       delete from sessions where user_id in (select id from u)`,
      [id, passwordHash],
    );
  }

  async deleteUser(id: string): Promise<boolean> {
    const out = await this.sql.query("delete from users where id = $1::uuid", [id]);
    return (out.rowCount ?? 0) > 0;
  }

  async adminCount(): Promise<number> {
    const [row] = await rows<{ n: number }>(
      this.sql,
      "select count(*)::int as n from users where role = 'admin'",
    );
    return row?.n ?? 0;
  }

  async createSession(s: {
    tokenHash: string;
    userId: string;
    expiresAt: Date;
    ip?: string | undefined;
    userAgent?: string | undefined;
  }): Promise<void> {
    await this.sql.query(
      "insert into sessions (id, user_id, expires_at, ip, user_agent) values ($1, $2::uuid, $3, $4, $5)",
      [s.tokenHash, s.userId, s.expiresAt, s.ip ?? null, s.userAgent ?? null],
    );
  }

  /**
   * The session and its user, or null when unknown, expired, or idle longer than `idleMs`
   * (exact match on the token hash).
   */
  async session(tokenHash: string, idleMs: number | null = null): Promise<SessionRow | null> {
    const [row] = await rows<SessionRow>(
      this.sql,
      `select s.user_id::text as "userId", u.username, u.role, s.expires_at as "expiresAt",
         s.last_seen_at as "lastSeenAt"
       from sessions s join users u on u.id = s.user_id
       where s.id = $1 and s.expires_at > now()
         and ($2::float8 is null or s.last_seen_at > now() - make_interval(secs => $2::float8 / 1000))`,
      [tokenHash, idleMs],
    );
    return row ?? null;
  }

  /** Marks the session as used now; called at most once a minute per session. */
  async touchSession(tokenHash: string): Promise<void> {
    await this.sql.query("update sessions set last_seen_at = now() where id = $1", [tokenHash]);
  }

  /** A user's unexpired sessions, most recently used first. */
  async sessionsOf(userId: string): Promise<OwnSessionRow[]> {
    return rows<OwnSessionRow>(
      this.sql,
      `select id, created_at as "createdAt", last_seen_at as "lastSeenAt", expires_at as "expiresAt",
         ip, user_agent as "userAgent"
       from sessions where user_id = $1::uuid and expires_at > now()
       order by last_seen_at desc limit 100`,
      [userId],
    );
  }

  /** Deletes the user's sessions (`only` that one, or all `except` that one); returns the ids (hashes) that ended. */
  async endSessions(userId: string, q: { only?: string; except?: string }): Promise<string[]> {
    const out = await rows<{ id: string }>(
      this.sql,
      `delete from sessions where user_id = $1::uuid
         and ($2::text is null or id = $2) and ($3::text is null or id <> $3)
       returning id`,
      [userId, q.only ?? null, q.except ?? null],
    );
    return out.map((r) => r.id);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.sql.query("delete from sessions where id = $1", [tokenHash]);
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.sql.query("delete from sessions where user_id = $1::uuid", [userId]);
  }

  async purgeExpiredSessions(): Promise<number> {
    const out = await this.sql.query("delete from sessions where expires_at <= now()");
    return out.rowCount ?? 0;
  }

  /** The server secret under `key`, created with `fresh` the first time (first writer wins). */
  async secret(key: string, fresh: string): Promise<string> {
    await this.sql.query(
      "insert into auth_secrets (key, value) values ($1, $2) on conflict (key) do nothing",
      [key, fresh],
    );
    const [row] = await rows<{ value: string }>(this.sql, "select value from auth_secrets where key = $1", [
      key,
    ]);
    if (!row) throw new Error(`auth secret "${key}" could not be stored`);
    return row.value;
  }

  async createShare(s: {
    id: string;
    tokenHash: string;
    service: string;
    from: Date;
    to: Date;
    expiresAt: Date;
    createdBy: string;
  }): Promise<void> {
    await this.sql.query(
      `insert into share_links (id, token_hash, service, from_at, to_at, expires_at, created_by)
       values ($1::uuid, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.tokenHash, s.service, s.from, s.to, s.expiresAt, s.createdBy],
    );
  }

  async shareByHash(tokenHash: string): Promise<ShareRow | null> {
    const [row] = await rows<ShareRow>(
      this.sql,
      `select ${SHARE_COLS} from share_links where token_hash = $1`,
      [tokenHash],
    );
    return row ?? null;
  }

  async shares(): Promise<ShareRow[]> {
    return rows<ShareRow>(
      this.sql,
      `select ${SHARE_COLS} from share_links order by created_at desc limit 200`,
    );
  }

  async revokeShare(id: string): Promise<boolean> {
    const out = await this.sql.query(
      "update share_links set revoked_at = now() where id = $1::uuid and revoked_at is null",
      [id],
    );
    return (out.rowCount ?? 0) > 0;
  }

  async appendAudit(e: AuditInput): Promise<void> {
    await this.sql.query(
      `insert into audit_log (actor, role, action, target, params, result, status, duration_ms, request_id, ip)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10)`,
      [
        e.actor,
        e.role,
        e.action,
        e.target,
        JSON.stringify(e.params ?? {}),
        e.result,
        e.status,
        Math.round(e.durationMs),
        e.requestId,
        e.ip,
      ],
    );
  }

  /**
   * Newest first (by the bigint column: the output `id` is text and would sort "9" above "32"),
   * `limit` rows older than the cursor (a row id: ids only grow, so paging by id
   * neither skips nor repeats rows that share a millisecond). `older` is the next page's cursor.
   */
  async audit(q: {
    limit: number;
    cursor?: string;
    before?: Date;
  }): Promise<{ rows: AuditRow[]; older: string | null }> {
    const found = await rows<AuditRow>(
      this.sql,
      `select id::text as id, at, actor, role, action, target, params, result, status,
         duration_ms as "durationMs", request_id as "requestId", ip
       from audit_log
       where ($2::bigint is null or id < $2::bigint) and ($3::timestamptz is null or at < $3)
       order by audit_log.id desc limit $1`,
      [q.limit + 1, q.cursor ?? null, q.before ?? null],
    );
    const page = found.slice(0, q.limit);
    return { rows: page, older: found.length > q.limit ? (page.at(-1)?.id ?? null) : null };
  }
}
