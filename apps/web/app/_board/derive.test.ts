import { describe, expect, it } from "vitest";
import type { ServiceView } from "../../lib/contract";
import { filterGroups, groupServices, matches, readFilters, searchIndex } from "./derive";

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

  it("searches name, group, kind and status, case-insensitively, through the index", () => {
    const index = searchIndex(all);
    const names = (q: string, statuses: ServiceView["status"][] = []) =>
      all.filter((s) => matches(s, { q, statuses }, index)).map((s) => s.name);
    expect(names("BACK")).toEqual(["api", "worker"]);
    expect(names("unhealthy")).toEqual(["api"]);
    expect(names("proc")).toHaveLength(all.length);
    expect(names("", ["blocked", "unhealthy"])).toEqual(["api", "cache"]);
    expect(names("at", ["healthy"])).toEqual(["db"]);
    // No match across two fields: "web" + "frontend" never reads as "bfront".
    expect(names("bfront")).toEqual([]);
  });

  it("reuses the search text of unchanged services and re-reads changed ones", () => {
    const first = searchIndex(all);
    const changed = { ...all[0], status: "degraded" } as ServiceView;
    const next = searchIndex([changed, ...all.slice(1)], first);
    expect(next.get(changed)).toContain("degraded");
    expect(next.get(all[1] as ServiceView)).toBe(first.get(all[1] as ServiceView));
    expect(next.has(all[0] as ServiceView)).toBe(false);
  });

  it("filters inside groups without losing a group's full membership", () => {
    const groups = filterGroups(groupServices(all), (s) => s.status !== "healthy");
    expect(groups.map((g) => [g.name, g.services.map((s) => s.name), g.all.length])).toEqual([
      ["data", ["cache"], 2],
      ["backend", ["api"], 2],
      ["frontend", [], 1],
    ]);
  });

  it("reads filters from the URL, ignoring unknown statuses", () => {
    expect(readFilters(new URLSearchParams("status=unhealthy,nope&q=api"))).toEqual({
      statuses: ["unhealthy"],
      q: "api",
    });
  });
});
