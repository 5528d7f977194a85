import { createHmac, randomUUID } from "node:crypto";
import type { HookAction, HookView } from "../../lib/tokens-contract.ts";
import { rows, type Sql } from "../auth/sql.ts";
import { newToken, safeEqual } from "../auth/tokens.ts";

/*
 * Deploy hooks: a per-service URL that CI/CD POSTs to restart, roll back or redeploy that one
 * service. Every call is signed: `X-Vigil-Signature: sha256=<hex HMAC-SHA256(secret,
 * "<timestamp>.<raw body>")>` with `X-Vigil-Timestamp: <unix seconds>` (GitHub/Stripe style). A
 * timestamp outside the replay window, or a signature already accepted once, is refused.
 */

/** How far a call's timestamp may be from the server's clock. */
export const REPLAY_WINDOW_S = 300;

interface HookRow {
  id: string;
  service: string;
  action: HookAction;
  secret: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLS = `id::text as id, service, action, secret, created_by as "createdBy", created_at as "createdAt",
  last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

export const hookView = (h: HookRow): HookView => ({
  id: h.id,
  service: h.service,
  action: h.action,
  createdBy: h.createdBy,
  createdAt: h.createdAt.toISOString(),
  lastUsedAt: h.lastUsedAt?.toISOString() ?? null,
  revokedAt: h.revokedAt?.toISOString() ?? null,
});

export function signHook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

export type Verdict =
  | { ok: true; hook: HookRow }
  | {
      ok: false;
      status: 401 | 404;
      reason: "unknown hook" | "revoked" | "bad timestamp" | "bad signature" | "replayed";
    };

export class DeployHooks {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => number = Date.now,
  ) {}

  async create(q: {
    service: string;
    action: HookAction;
    createdBy: string;
  }): Promise<{ view: HookView; secret: string }> {
    const id = randomUUID();
    const secret = newToken(32);
    await this.sql.query(
      "insert into deploy_hooks (id, service, action, secret, created_by) values ($1::uuid, $2, $3, $4, $5)",
      [id, q.service, q.action, secret, q.createdBy],
    );
    const [row] = await rows<HookRow>(this.sql, `select ${COLS} from deploy_hooks where id = $1::uuid`, [id]);
    if (!row) throw new Error("hook row vanished right after insert");
    return { view: hookView(row), secret };
  }

  async list(): Promise<HookView[]> {
    return (
      await rows<HookRow>(this.sql, `select ${COLS} from deploy_hooks order by created_at desc limit 500`)
    ).map(hookView);
  }

  async revoke(id: string): Promise<boolean> {
    const out = await this.sql.query(
      "update deploy_hooks set revoked_at = now() where id = $1::uuid and revoked_at is null",
      [id],
    );
    return (out.rowCount ?? 0) > 0;
  }

  /** Checks a call; on success the signature is spent (a second use is "replayed"). */
  async verify(
    id: string,
    timestamp: string | undefined,
    signature: string | undefined,
    body: string,
  ): Promise<Verdict> {
    const [hook] = /^[0-9a-f-]{36}$/i.test(id)
      ? await rows<HookRow>(this.sql, `select ${COLS} from deploy_hooks where id = $1::uuid`, [id])
      : [];
    if (!hook) return { ok: false, status: 404, reason: "unknown hook" };
    if (hook.revokedAt) return { ok: false, status: 401, reason: "revoked" };
    const seconds = Number(timestamp);
    if (!/^\d{9,11}$/.test(timestamp ?? "") || Math.abs(this.now() / 1000 - seconds) > REPLAY_WINDOW_S)
      return { ok: false, status: 401, reason: "bad timestamp" };
    if (typeof signature !== "string" || !safeEqual(signature, signHook(hook.secret, timestamp ?? "", body)))
      return { ok: false, status: 401, reason: "bad signature" };
    // The signature can be replayed only inside the window, and only once: the insert is the lock.
    await this.sql.query("delete from deploy_hook_nonces where at < now() - make_interval(secs => $1)", [
      REPLAY_WINDOW_S * 2,
    ]);
    const spent = await this.sql.query(
      "insert into deploy_hook_nonces (signature, hook_id) values ($1, $2::uuid) on conflict do nothing",
      [signature, hook.id],
    );
    if ((spent.rowCount ?? 0) === 0) return { ok: false, status: 401, reason: "replayed" };
    await this.sql.query("update deploy_hooks set last_used_at = now() where id = $1::uuid", [hook.id]);
    return { ok: true, hook };
  }
}
