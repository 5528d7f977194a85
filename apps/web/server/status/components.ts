import type { ServiceStatus } from "@vigil/orchestrator/status";
import type { Component } from "./model.ts";

/*
 * What the public sees of a component: one of five words, never the internal status, reason or
 * the names of the services behind it.
 */

export const PUBLIC_STATUSES = ["operational", "degraded", "outage", "maintenance", "unknown"] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

const OF_SERVICE: Record<ServiceStatus, PublicStatus> = {
  healthy: "operational",
  degraded: "degraded",
  // Blocked: the service passes its own checks but a dependency fails, so users feel it.
  blocked: "degraded",
  // Its engine does not answer: whether users feel it is not known, and an outage is not claimed.
  "host-unreachable": "unknown",
  starting: "degraded",
  unhealthy: "outage",
  stopped: "outage",
  unknown: "unknown",
};

export interface ServiceState {
  name: string;
  group: string;
  status: ServiceStatus;
  /** Fewest days until a certificate expires, from the checks' latest `days_remaining` value; null when no check reports one. */
  certDays?: number | null;
}

/** The services a component stands for (a group: every service in it). */
export function membersOf(
  component: Pick<Component, "kind" | "ref">,
  services: readonly ServiceState[],
): ServiceState[] {
  return component.kind === "service"
    ? services.filter((s) => s.name === component.ref)
    : services.filter((s) => s.group === component.ref);
}

/**
 * A service maps one to one; a group is an outage only when all its services are out, degraded
 * when some are, unknown when it has none known. Maintenance overrides everything.
 */
export function publicStatus(members: readonly ServiceState[], inMaintenance: boolean): PublicStatus {
  if (inMaintenance) return "maintenance";
  const each = members.map((m) => OF_SERVICE[m.status]).filter((s) => s !== "unknown");
  if (each.length === 0) return "unknown";
  if (each.every((s) => s === "outage")) return "outage";
  if (each.every((s) => s === "operational")) return "operational";
  return "degraded";
}

/** The page's overall word: the worst of its components. */
export function overall(statuses: readonly PublicStatus[]): PublicStatus {
  for (const s of ["outage", "degraded", "maintenance", "unknown"] as const)
    if (statuses.includes(s)) return s;
  return "operational";
}
