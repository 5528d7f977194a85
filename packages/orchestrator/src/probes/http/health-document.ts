import type { ProbeStatus } from "../../status/model.ts";

/**
 * The standard health document some targets return:
 * `{ status, checks: { dependencies: {...} | [...], resources: {...} } }`.
 * Dependencies may be a map of name → {status} or a list of {name, status}.
 */
export interface HealthDocument {
  status: string;
  mapped: ProbeStatus;
  dependencies?: unknown;
  resources?: unknown;
  /** Names of dependencies whose own status is not healthy. */
  failing: string[];
}

const HEALTHY = new Set(["healthy", "ok", "up", "pass", "passing", "green"]);
const DEGRADED = new Set(["degraded", "warn", "warning", "yellow"]);

export function mapHealthStatus(status: string): ProbeStatus {
  const s = status.toLowerCase();
  if (HEALTHY.has(s)) return "healthy";
  if (DEGRADED.has(s)) return "degraded";
  return "unhealthy";
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Returns the document when `body` looks like one (an object with a string `status`), else undefined. */
export function readHealthDocument(body: unknown): HealthDocument | undefined {
  if (!isRecord(body) || typeof body.status !== "string") return undefined;
  const checks = isRecord(body.checks) ? body.checks : {};
  const doc: HealthDocument = { status: body.status, mapped: mapHealthStatus(body.status), failing: [] };
  if (checks.dependencies !== undefined) doc.dependencies = checks.dependencies;
  if (checks.resources !== undefined) doc.resources = checks.resources;
  doc.failing = failingDependencies(checks.dependencies);
  return doc;
}

function failingDependencies(deps: unknown): string[] {
  const entries: [string, unknown][] = Array.isArray(deps)
    ? deps.map((d, i) => [isRecord(d) && typeof d.name === "string" ? d.name : `#${i}`, d])
    : isRecord(deps)
      ? Object.entries(deps)
      : [];
  const failing: string[] = [];
  for (const [name, value] of entries) {
    const status = isRecord(value) ? value.status : value;
    const ok =
      typeof status === "boolean"
        ? status
        : typeof status === "string" && mapHealthStatus(status) === "healthy";
    if (!ok) failing.push(name);
  }
  return failing;
}
