import { describe, expect, it } from "vitest";
import type { NoticeRow, PageRow } from "./model.ts";
import { buildView } from "./view.ts";

const now = new Date("2026-11-30T12:00:00Z");
const page: PageRow = {
  id: "p",
  slug: "acme",
  title: "Acme",
  description: "",
  logoUrl: "https://example.com/logo.png",
  logoType: null,
  logoData: null,
  passwordHash: null,
  customDomain: null,
  components: [
    { id: "web", kind: "group", ref: "edge-int", name: "Website" },
    { id: "db", kind: "service", ref: "pg-main", name: "Database" },
  ],
  createdBy: "op",
  createdAt: now,
  updatedAt: now,
};
const notice = (over: Partial<NoticeRow>): NoticeRow => ({
  id: "n",
  pageId: "p",
  kind: "incident",
  title: "t",
  incidentId: null,
  components: [],
  startsAt: new Date("2026-11-30T10:00:00Z"),
  endsAt: null,
  createdAt: now,
  updates: [{ id: "u", status: "investigating", body: "b", at: now }],
  ...over,
});
const hour = (day: string, count: number, failures: number) => ({
  t: new Date(`${day}T05:00:00Z`),
  count,
  failures,
});

describe("the public view", () => {
  it("maps groups and services to public words, bars per UTC day, notices to active/upcoming/past", () => {
    const view = buildView({
      page,
      services: [
        { name: "a", group: "edge-int", status: "healthy" },
        { name: "b", group: "edge-int", status: "unhealthy" },
        { name: "pg-main", group: "data", status: "healthy" },
      ],
      points: new Map([
        ["a", [hour("2026-11-30", 100, 0), hour("2026-11-29", 100, 50)]],
        ["b", [hour("2026-11-30", 100, 100)]],
        ["pg-main", [hour("2026-09-01", 10, 10)]],
      ]),
      notices: [
        notice({
          id: "maint",
          kind: "maintenance",
          title: "DB upgrade",
          components: ["db", "gone"],
          endsAt: new Date("2026-11-30T13:00:00Z"),
          updates: [{ id: "1", status: "in_progress", body: "x", at: now }],
        }),
        notice({
          id: "later",
          kind: "maintenance",
          startsAt: new Date("2026-12-01T00:00:00Z"),
          updates: [{ id: "2", status: "scheduled", body: "y", at: now }],
        }),
        notice({ id: "done", updates: [{ id: "3", status: "resolved", body: "fixed", at: now }] }),
      ],
      now,
      logoPath: "/status/acme/logo",
      version: "v1",
    });
    // One of two services down: the group is degraded; maintenance wins for the database.
    expect(view.components.map((c) => [c.name, c.status])).toEqual([
      ["Website", "degraded"],
      ["Database", "maintenance"],
    ]);
    expect(view.status).toBe("degraded");
    const web = view.components[0];
    expect(web?.bars).toHaveLength(90);
    expect(web?.bars.at(-1)).toEqual({ day: "2026-11-30", uptime: 0.5 }); // 100 ok of 200
    expect(web?.bars.at(-2)).toEqual({ day: "2026-11-29", uptime: 0.5 });
    expect(web?.uptime90d).toBe(150 / 300);
    // Older than 90 days: outside the bars and the figure.
    expect(view.components[1]?.uptime90d).toBeNull();
    expect(view.active.map((n) => [n.id, n.components])).toEqual([["maint", ["Database"]]]);
    expect(view.upcoming.map((n) => n.id)).toEqual(["later"]);
    expect(view.past.map((n) => n.id)).toEqual(["done"]);
    expect(view.logo).toBe("https://example.com/logo.png");
    expect(JSON.stringify(view)).not.toMatch(/edge-int|pg-main|"a"|"b"/);
  });
});
