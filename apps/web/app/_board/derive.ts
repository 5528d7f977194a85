import type { ServiceStatus, ServiceView } from "../../lib/contract";
import { isStatus } from "../_lib/status";

export interface BoardFilters {
  statuses: ServiceStatus[];
  q: string;
}

export function readFilters(sp: URLSearchParams): BoardFilters {
  const statuses = (sp.get("status") ?? "").split(",").filter(isStatus);
  return { statuses, q: sp.get("q") ?? "" };
}

export function matches(s: ServiceView, f: BoardFilters): boolean {
  if (f.statuses.length > 0 && !f.statuses.includes(s.status)) return false;
  if (!f.q) return true;
  const needle = f.q.toLowerCase();
  return (
    s.name.toLowerCase().includes(needle) ||
    s.group.toLowerCase().includes(needle) ||
    s.kind.includes(needle) ||
    s.status.includes(needle)
  );
}

export interface Group {
  name: string;
  services: ServiceView[];
  /** Every service of the group, ignoring filters (for group actions). */
  all: ServiceView[];
}

/** Groups ordered by their earliest startup wave, services by wave then name. */
export function groupServices(all: readonly ServiceView[], shown: readonly ServiceView[]): Group[] {
  const byWave = (a: ServiceView, b: ServiceView) => a.wave - b.wave || a.name.localeCompare(b.name);
  const groups = new Map<string, Group>();
  for (const s of [...all].sort(byWave)) {
    const g = groups.get(s.group) ?? { name: s.group, services: [], all: [] };
    g.all.push(s);
    groups.set(s.group, g);
  }
  const visible = new Set(shown.map((s) => s.name));
  for (const g of groups.values()) g.services = g.all.filter((s) => visible.has(s.name));
  return [...groups.values()].sort(
    (a, b) => (a.all[0]?.wave ?? 0) - (b.all[0]?.wave ?? 0) || a.name.localeCompare(b.name),
  );
}
