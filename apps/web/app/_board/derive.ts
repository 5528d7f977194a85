import type { ServiceStatus, ServiceView } from "../../lib/contract";
import { isStatus } from "../_lib/status";

/**
 * Boards up to this size are server-rendered whole and keep every tile in the DOM; larger ones
 * start as a light shell the socket's snapshot fills, and draw only the tiles on screen.
 */
export const SMALL_BOARD = 200;

export interface BoardFilters {
  statuses: ServiceStatus[];
  q: string;
}

export function readFilters(sp: URLSearchParams): BoardFilters {
  const statuses = (sp.get("status") ?? "").split(",").filter(isStatus);
  return { statuses, q: sp.get("q") ?? "" };
}

/** What a search looks in, lower-cased once: a keystroke then costs one `includes` per service. */
export function searchText(s: ServiceView): string {
  return `${s.name}\n${s.group}\n${s.kind}\n${s.status}`.toLowerCase();
}

/**
 * The search text of every service, reused for services whose object did not change (a delta
 * replaces only the services it touches), so a tick at 10,000 services lowers a handful of strings.
 */
export function searchIndex(
  all: readonly ServiceView[],
  previous?: ReadonlyMap<ServiceView, string>,
): Map<ServiceView, string> {
  const index = new Map<ServiceView, string>();
  for (const s of all) index.set(s, previous?.get(s) ?? searchText(s));
  return index;
}

export function matches(s: ServiceView, f: BoardFilters, index?: ReadonlyMap<ServiceView, string>): boolean {
  if (f.statuses.length > 0 && !f.statuses.includes(s.status)) return false;
  if (!f.q) return true;
  // A newline never occurs in a query typed into the field, so no match spans two fields.
  return (index?.get(s) ?? searchText(s)).includes(f.q.toLowerCase());
}

export interface Group {
  name: string;
  services: ServiceView[];
  /** Every service of the group, ignoring filters (for group actions). */
  all: ServiceView[];
}

/** Groups ordered by their earliest startup wave, services by wave then name; nothing filtered yet. */
export function groupServices(all: readonly ServiceView[]): Group[] {
  // One collator: localeCompare builds one per call, which is most of a 10,000-service sort.
  const { compare } = new Intl.Collator();
  const byWave = (a: ServiceView, b: ServiceView) => a.wave - b.wave || compare(a.name, b.name);
  const groups = new Map<string, Group>();
  for (const s of [...all].sort(byWave)) {
    const g = groups.get(s.group) ?? { name: s.group, services: [], all: [] };
    g.all.push(s);
    groups.set(s.group, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, services: g.all }))
    .sort((a, b) => (a.all[0]?.wave ?? 0) - (b.all[0]?.wave ?? 0) || compare(a.name, b.name));
}

/** The same groups, each showing only the services that pass `keep` (groups keep their order). */
export function filterGroups(groups: readonly Group[], keep: (s: ServiceView) => boolean): Group[] {
  return groups.map((g) => ({ ...g, services: g.all.filter(keep) }));
}
