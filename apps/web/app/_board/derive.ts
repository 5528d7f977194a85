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

export interface Group {
  name: string;
  services: ServiceView[];
  /** Every service of the group, ignoring filters (for group actions). */
  all: ServiceView[];
}

/**
 * Where every service sits on the board and what a search looks in, by position in the services
 * array. Status and result updates replace a service's object at its position and change none of
 * name, group, wave or kind, so the order (a 10,000-service sort) and the lower-cased search text
 * are kept until a service comes, goes or moves.
 */
export interface BoardOrder {
  /** The services it was built from. */
  readonly from: readonly ServiceView[];
  /** Lower-cased name, group and kind, newline-separated; the status is matched on its own. */
  readonly text: readonly string[];
  /** Groups by their earliest startup wave, each with its services' positions by wave then name. */
  readonly layout: readonly { name: string; at: readonly number[] }[];
}

/** The board's order for `all`: `previous` itself while every service keeps its place. */
export function boardOrder(all: readonly ServiceView[], previous?: BoardOrder): BoardOrder {
  const was = previous?.from;
  const kept = (s: ServiceView, i: number) => {
    const w = was?.[i];
    return s === w || (s.name === w?.name && s.group === w.group && s.wave === w.wave && s.kind === w.kind);
  };
  if (previous && all.length === was?.length && all.every(kept)) return previous;
  // One collator: localeCompare builds one per call, which is most of a 10,000-service sort.
  const { compare } = new Intl.Collator();
  const positions = Array.from(all, (_, i) => i).sort((a, b) => {
    const x = all[a] as ServiceView;
    const y = all[b] as ServiceView;
    return x.wave - y.wave || compare(x.name, y.name);
  });
  const groups = new Map<string, { name: string; at: number[]; wave: number }>();
  for (const i of positions) {
    const s = all[i] as ServiceView;
    const g = groups.get(s.group);
    if (g) g.at.push(i);
    else groups.set(s.group, { name: s.group, at: [i], wave: s.wave });
  }
  return {
    from: all,
    text: all.map((s) => `${s.name}\n${s.group}\n${s.kind}`.toLowerCase()),
    layout: [...groups.values()].sort((a, b) => a.wave - b.wave || compare(a.name, b.name)),
  };
}

/** Groups ordered by their earliest startup wave, services by wave then name; nothing filtered yet. */
export function groupServices(all: readonly ServiceView[], order = boardOrder(all)): Group[] {
  return order.layout.map((g) => {
    const services = g.at.map((i) => all[i] as ServiceView);
    return { name: g.name, services, all: services };
  });
}

/**
 * The same groups (from groupServices with the same `all` and `order`), each showing only the
 * services that pass the filters: a status among `statuses` (any when none), and `q` found,
 * case-insensitively, in the name, group, kind or status.
 */
export function filterGroups(
  all: readonly ServiceView[],
  order: BoardOrder,
  groups: readonly Group[],
  f: BoardFilters,
): Group[] {
  const q = f.q.toLowerCase();
  // A query typed into the field has no newline, so it can only match within one field: the
  // status is looked at on its own instead of joining it to each service's text per keystroke.
  const spans = q.includes("\n");
  const found = (i: number, status: string) =>
    spans ? `${order.text[i]}\n${status}`.includes(q) : order.text[i]?.includes(q) || status.includes(q);
  return order.layout.map((g, gi) => {
    const services: ServiceView[] = [];
    for (const i of g.at) {
      const s = all[i] as ServiceView;
      if (f.statuses.length > 0 && !f.statuses.includes(s.status)) continue;
      if (q && !found(i, s.status)) continue;
      services.push(s);
    }
    return { name: g.name, services, all: groups[gi]?.all ?? services };
  });
}

/**
 * The services whose status differs from `before` (services new since then are not changes).
 * Updates replace a service's object at its position, so only replaced positions are looked at;
 * a board whose services came, went or moved is compared by name.
 */
export function statusChanges(before: readonly ServiceView[], after: readonly ServiceView[]): ServiceView[] {
  const changes: ServiceView[] = [];
  if (before.length === after.length) {
    for (let i = 0; i < after.length; i++) {
      const was = before[i] as ServiceView;
      const now = after[i] as ServiceView;
      if (was === now) continue;
      if (was.name !== now.name) return byName(before, after);
      if (was.status !== now.status) changes.push(now);
    }
    return changes;
  }
  return byName(before, after);
}

function byName(before: readonly ServiceView[], after: readonly ServiceView[]): ServiceView[] {
  const was = new Map(before.map((s) => [s.name, s.status]));
  return after.filter((s) => was.has(s.name) && was.get(s.name) !== s.status);
}
