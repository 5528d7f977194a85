import { auditTarget, cleanText, KEY_MAX, scrubParams } from "./audit-text.ts";
import { rateKey } from "./client-ip.ts";
import { FailureLimiter } from "./rate-limit.ts";
import type { Principal } from "./roles.ts";
import type { AuditInput, AuthStore } from "./store.ts";

/*
 * The audit trail: one append-only row per audited request (allowed or denied), written after
 * the outcome is known. The table refuses DELETE, so what reaches it must be bounded:
 * - a request that is denied, rate-limited or not signed in is stored as a fixed-size row (route,
 *   status, IP, a short target; no parameters at all), and at most ANONYMOUS_ROWS of those per
 *   client and minute; the rest are counted into the next row that is stored;
 * - a signed-in user's allowed request keeps its parameters, redacted and bounded (audit-text.ts);
 * - a failed sign-in never stores the name typed (often a password typed in the wrong box): only
 *   a keyed hash of it, so repeated attempts on one name can still be told apart;
 * - whatever the input, a row is written: if the full row fails, a minimal one takes its place.
 */

/** Fixed-size rows per client (a signed-in user, else an IPv4 address or IPv6 /64) and minute. */
export const ANONYMOUS_ROWS = 30;
const ANON_TARGET_MAX = 120;

export function resultOf(status: number, body: unknown): string {
  if (status === 401 || status === 403) return "denied";
  if (status === 429) return "rate-limited";
  if (status >= 500) return "error";
  if (status >= 400) return "rejected";
  const b = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  if (typeof b.actionId === "string")
    return `${b.deduplicated === true ? "deduplicated" : "accepted"} ${cleanText(b.actionId, KEY_MAX)}`;
  return "ok";
}

/** `{ username: "x", password: "y" }` → `{ username: "x", password: "(given)" }`: no secret survives. */
function fieldNames(body: unknown): Record<string, string> {
  if (body === null || typeof body !== "object") return {};
  return Object.fromEntries(
    Object.entries(body)
      .slice(0, 20)
      .map(([k, v]) => [
        cleanText(k, KEY_MAX),
        (k === "username" || k === "role") && typeof v === "string" ? cleanText(v, KEY_MAX) : "(given)",
      ]),
  );
}

export interface AuditRequest {
  principal: Principal | null;
  /** The permission table's audit name, e.g. `action.run`. */
  action: string;
  input: { params: Record<string, string>; body: unknown };
  /** The body carries credentials (sign-in, passwords): only field names are kept. */
  credentials: boolean;
  status: number;
  /** The answer, for the result column (`accepted <actionId>`). */
  reply: unknown;
  /** A fixed result text chosen by server code (never by the client), e.g. "denied: replayed". */
  result?: string;
  durationMs: number;
  requestId: string;
  ip: string;
}

export class AuditLog {
  readonly #limiter = new FailureLimiter({ max: ANONYMOUS_ROWS, windowMs: 60_000, maxKeys: 10_000 });
  /** Fixed-size rows not stored per client since its last stored one. */
  readonly #suppressed = new Map<string, number>();

  constructor(
    private readonly store: AuthStore,
    private readonly redact: (text: string) => string,
    private readonly log: (line: string) => void,
    /** A keyed hash of a name (failed sign-ins); see AuthService.pseudonym. */
    private readonly pseudonym: (text: string) => string = () => "",
  ) {}

  async record(request: AuditRequest): Promise<void> {
    const row = this.#row(request);
    if (row === null) return;
    try {
      await this.store.appendAudit(row);
      return;
    } catch (err) {
      this.log(`audit: row not stored (${this.#message(err)}); storing a minimal row instead`);
    }
    try {
      await this.store.appendAudit({ ...row, target: "", params: {}, result: cleanText(row.result, 80) });
    } catch (err) {
      // The store may be down; the log line keeps the trail until it is back.
      this.log(
        `audit (not stored: ${this.#message(err)}): ${this.redact(JSON.stringify({ ...row, params: {} }))}`,
      );
    }
  }

  /** The row to store; null when a client's fixed-size rows are over their rate. */
  #row(r: AuditRequest): AuditInput | null {
    const base = {
      actor: cleanText(r.principal?.name ?? "anonymous", KEY_MAX),
      role: r.principal?.role ?? "none",
      action: r.action,
      status: r.status,
      durationMs: r.durationMs,
      requestId: cleanText(r.requestId, KEY_MAX),
      ip: cleanText(r.ip, 64),
    };
    let result = r.result === undefined ? resultOf(r.status, r.reply) : cleanText(r.result, 120);
    let target: string;
    try {
      target = this.redact(auditTarget(r.input));
    } catch {
      target = "(unreadable)";
    }
    const signedIn = r.principal?.kind === "user";
    const refused = r.status === 401 || r.status === 403 || r.status === 429;
    // Sign-in and setup: what a stranger typed as a name may be a password typed in the wrong box.
    if (r.credentials && r.status >= 400 && !signedIn)
      target = target === "" ? "" : `name#${this.pseudonym(target)}`;
    if (signedIn && !refused) {
      let params: unknown;
      try {
        params = r.credentials ? fieldNames(r.input.body) : scrubParams(r.input.body ?? {}, this.redact);
      } catch {
        params = { unreadable: true };
      }
      return { ...base, target: cleanText(target, 500), params, result };
    }
    // A signed-in user is their own bucket: strangers sharing an address cannot silence them.
    const client = r.principal?.kind === "user" ? `user:${r.principal.userId}` : `ip:${rateKey(r.ip)}`;
    if (this.#limiter.retryAfter(client) > 0) {
      if (this.#suppressed.size < 10_000 || this.#suppressed.has(client))
        this.#suppressed.set(client, (this.#suppressed.get(client) ?? 0) + 1);
      return null;
    }
    this.#limiter.fail(client);
    const dropped = this.#suppressed.get(client) ?? 0;
    this.#suppressed.delete(client);
    if (dropped > 0) result = `${result} (+${dropped} earlier not recorded)`;
    return { ...base, target: cleanText(target, ANON_TARGET_MAX), params: {}, result };
  }

  #message(err: unknown): string {
    return cleanText(this.redact(err instanceof Error ? err.message : String(err)), 300);
  }
}
