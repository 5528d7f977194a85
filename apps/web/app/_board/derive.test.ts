import { describe, expect, it } from "vitest";
import type { ServiceView } from "../../lib/contract";
import { boardOrder, filterGroups, groupServices, readFilters, statusChanges } from "./derive";

const service = (name: string, group: string, wave: number, status: ServiceView["status"] = "healthy") =>
  ({ name, group, wave, status, kind: "process" }) as ServiceView;

describe("board derivation", () => {
  const all = [
    service("web", "frontend", 2),
    service("api", "backend", 1, "unhealthy"),
    service("db", "data", 0),
    service("worker", "backend", 1),
    service("cache", "data", 0, "blocked"),
  ];

  it("groups by earliest wave, services by wave then name", () => {
    const groups = groupServices(all);
    expect(groups.map((g) => g.name)).toEqual(["data", "backend", "frontend"]);
    expect(groups[0]?.services.map((s) => s.name)).toEqual(["cache", "db"]);
    expect(groups[1]?.all.map((s) => s.name)).toEqual(["api", "worker"]);
  });

  it("searches name, group, kind and status, case-insensitively", () => {
    const order = boardOrder(all);
    const groups = groupServices(all, order);
    const names = (q: string, statuses: ServiceView["status"][] = []) =>
      filterGroups(all, order, groups, { q, statuses })
        .flatMap((g) => g.services.map((s) => s.name))
        .sort();
    expect(names("BACK")).toEqual(["api", "worker"]);
    expect(names("unhealthy")).toEqual(["api"]);
    expect(names("proc")).toHaveLength(all.length);
    expect(names("", ["blocked", "unhealthy"])).toEqual(["api", "cache"]);
    expect(names("at", ["healthy"])).toEqual(["db"]);
    // No match across two fields: "web" + "frontend" never reads as "bfront".
    expect(names("bfront")).toEqual([]);
    // A query with a newline (only a hand-made URL has one) spans fields as before.
    expect(names("process\nunhealthy")).toEqual(["api"]);
  });

  it("keeps the order while services only change status, and rebuilds it when one moves", () => {
    const first = boardOrder(all);
    const updated = all.map((s) => (s.name === "web" ? { ...s, status: "degraded" as const } : s));
    expect(boardOrder(updated, first)).toBe(first);
    const order = boardOrder(updated, first);
    const groups = groupServices(updated, order);
    const degraded = filterGroups(updated, order, groups, { q: "degr", statuses: [] });
    expect(degraded.flatMap((g) => g.services.map((s) => s.name))).toEqual(["web"]);
    const moved = all.map((s) => (s.name === "web" ? { ...s, group: "backend" } : s));
    const next = boardOrder(moved, first);
    expect(next).not.toBe(first);
    expect(groupServices(moved, next).map((g) => [g.name, g.all.map((s) => s.name)])).toEqual([
      ["data", ["cache", "db"]],
      ["backend", ["api", "worker", "web"]],
    ]);
    expect(boardOrder(all.slice(1), first)).not.toBe(first);
  });

  it("filters inside groups without losing a group's full membership", () => {
    const order = boardOrder(all);
    const groups = filterGroups(all, order, groupServices(all, order), {
      q: "",
      statuses: ["unhealthy", "blocked", "degraded"],
    });
    expect(groups.map((g) => [g.name, g.services.map((s) => s.name), g.all.length])).toEqual([
      ["data", ["cache"], 2],
      ["backend", ["api"], 2],
      ["frontend", [], 1],
    ]);
  });

  it("finds the status changes between two boards, by position or, when services moved, by name", () => {
    const next = all.map((s) => (s.name === "db" ? { ...s, status: "unhealthy" as const } : s));
    const touched = next.map((s) => (s.name === "web" ? { ...s } : s)); // a result, same status
    expect(statusChanges(all, touched).map((s) => s.name)).toEqual(["db"]);
    expect(statusChanges(all, all)).toEqual([]);
    const reordered = [...touched].reverse();
    expect(statusChanges(all, reordered).map((s) => s.name)).toEqual(["db"]);
    const added = [...touched, service("new", "data", 0, "unhealthy")];
    expect(statusChanges(all, added).map((s) => s.name)).toEqual(["db"]);
  });

  it("reads filters from the URL, ignoring unknown statuses", () => {
    expect(readFilters(new URLSearchParams("status=unhealthy,nope&q=api"))).toEqual({
      statuses: ["unhealthy"],
      q: "api",
    });
  });
});
