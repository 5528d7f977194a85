import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { renderBadge } from "./badge-svg.ts";
import { badgeValue } from "./badge-values.ts";
import type { ServiceState } from "./components.ts";
import type { StatusData } from "./data.ts";
import type { BadgeRow } from "./model.ts";

/*
 * Badge values from given statuses and check values. No probe on this branch reports
 * days_remaining yet (the tls kind is another branch's), so the certificate values are handed in
 * directly as the engine's snapshot would carry them; uptime against real rollups is covered by
 * status-pages.integration.test.ts.
 */

const services: ServiceState[] = [
  { name: "a", group: "g", status: "healthy", certDays: 40.7 },
  { name: "b", group: "g", status: "unhealthy", certDays: 9.2 },
  { name: "c", group: "h", status: "healthy", certDays: null },
];
const data: StatusData = { services: () => services, points: async () => [] };
const badge = (over: Partial<BadgeRow>): BadgeRow => ({
  id: "00000000-0000-4000-8000-000000000000",
  targetKind: "service",
  target: "a",
  metric: "status",
  window: null,
  label: null,
  createdBy: "op",
  createdAt: new Date(),
  revokedAt: null,
  ...over,
});
const now = new Date("2026-11-30T12:00:00Z");

describe("badge values (statuses and check values given directly)", () => {
  it("certificate: the soonest expiry among the target's checks, in whole days", async () => {
    expect(await badgeValue(badge({ metric: "cert" }), data, now)).toEqual({
      label: "certificate",
      value: "40 days",
      color: "green",
    });
    expect(await badgeValue(badge({ metric: "cert", targetKind: "group", target: "g" }), data, now)).toEqual({
      label: "certificate",
      value: "9 days",
      color: "orange",
    });
    expect((await badgeValue(badge({ metric: "cert", target: "c" }), data, now)).value).toBe("unknown");
  });

  it("status of a group with one service down is degraded; the SVG is valid and escapes labels", async () => {
    const v = await badgeValue(badge({ targetKind: "group", target: "g", label: "<api & co>" }), data, now);
    expect(v).toEqual({ label: "<api & co>", value: "degraded", color: "yellow" });
    const svg = renderBadge(v.label, v.value, v.color);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain("&lt;api &amp; co&gt;: degraded");
  });

  it("uptime without any rollup says so instead of 100%", async () => {
    expect(await badgeValue(badge({ metric: "uptime", window: "30d" }), data, now)).toEqual({
      label: "uptime 30d",
      value: "no data",
      color: "grey",
    });
  });
});
