import type { Principal } from "./roles.ts";
import type { AuditInput, AuthStore } from "./store.ts";

/*
 * The audit trail: one append-only row per audited request (allowed or denied), written after
 * the outcome is known. Parameters pass through the secret redactor, and fields that are
 * credentials by name never reach it at all.
 */

const CREDENTIAL = /pass(word)?|secret|token|key$/i;

export function scrubParams(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (depth > 6) return "…";
  if (typeof value === "string") return redact(value).slice(0, 500);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrubParams(v, redact, depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 50)) {
      // idempotencyKey is not a credential but matches /key$/; keep it, it links retries.
      out[k] = CREDENTIAL.test(k) && k !== "idempotencyKey" ? "***" : scrubParams(v, redact, depth + 1);
    }
    return out;
  }
  return value;
}

/** What the request was about, for the audit list: action targets, a user, a share link. */
export function auditTarget(input: { params: Record<string, string>; body: unknown }): string {
  const body =
    input.body !== null && typeof input.body === "object" ? (input.body as Record<string, unknown>) : {};
  if (Array.isArray(body.targets))
    return body.targets.length === 0 ? "(all services)" : body.targets.join(",");
  for (const key of ["service", "username"]) if (typeof body[key] === "string") return String(body[key]);
  return input.params.id ?? input.params.name ?? "";
}

export function resultOf(status: number, body: unknown): string {
  if (status === 401 || status === 403) return "denied";
  if (status === 429) return "rate-limited";
  if (status >= 500) return "error";
  if (status >= 400) return "rejected";
  const b = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  if (typeof b.actionId === "string")
    return `${b.deduplicated === true ? "deduplicated" : "accepted"} ${b.actionId}`;
  return "ok";
}

export class AuditLog {
  constructor(
    private readonly store: AuthStore,
    private readonly redact: (text: string) => string,
    private readonly log: (line: string) => void,
  ) {}

  async record(
    entry: Omit<AuditInput, "actor" | "role" | "params"> & { principal: Principal | null; params: unknown },
  ): Promise<void> {
    const { principal, ...rest } = entry;
    const row: AuditInput = {
      ...rest,
      actor: principal?.name ?? "anonymous",
      role: principal?.role ?? "none",
      params: scrubParams(entry.params ?? {}, this.redact),
      target: this.redact(entry.target).slice(0, 500),
    };
    try {
      await this.store.appendAudit(row);
    } catch (err) {
      // The store may be down; the log line keeps the trail until it is back.
      this.log(
        `audit (not stored: ${this.redact(err instanceof Error ? err.message : String(err))}): ` +
          this.redact(JSON.stringify(row)),
      );
    }
  }
}
