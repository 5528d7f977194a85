import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/parse.ts";
import { maintenanceRanges } from "./maintenance.ts";

const H = 3_600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function windows(yaml: string) {
  const { config } = parseConfigText(
    `services:\n  api: { kind: external, group: web }\n  db: { kind: external, group: data }\nalerting:\n  maintenance:\n${yaml}`,
    "vigil.yaml",
  );
  return config.alerting.maintenance;
}

describe("maintenanceRanges (for uptime without maintenance)", () => {
  const api = { name: "api", group: "web" };

  it("expands a recurring window in its time zone over the range, clipped at both ends", () => {
    // 04:00 Berlin is 03:00Z in winter: three nights, the range starting inside the first one.
    const from = Date.parse("2026-11-28T03:30:00Z");
    const to = Date.parse("2026-11-30T03:15:00Z");
    const got = maintenanceRanges(
      windows('    - { groups: [web], cron: "0 4 * * *", duration: 1h, timezone: Europe/Berlin }\n'),
      [],
      api,
      from,
      to,
    );
    expect(got.map((r) => [iso(r.from), iso(r.to)])).toEqual([
      ["2026-11-28T03:30:00.000Z", "2026-11-28T04:00:00.000Z"],
      ["2026-11-29T03:00:00.000Z", "2026-11-29T04:00:00.000Z"],
      ["2026-11-30T03:00:00.000Z", "2026-11-30T03:15:00.000Z"],
    ]);
    // Another group's service is not covered.
    expect(
      maintenanceRanges(
        windows('    - { groups: [web], cron: "0 4 * * *", duration: 1h, timezone: Europe/Berlin }\n'),
        [],
        { name: "db", group: "data" },
        from,
        to,
      ),
    ).toEqual([]);
  });

  it("merges a one-off window with an overlapping silence of the service; other services' silences do not count", () => {
    const t0 = Date.parse("2026-12-01T02:00:00Z");
    const got = maintenanceRanges(
      windows('    - { all: true, from: "2026-12-01T02:00:00Z", to: "2026-12-01T03:00:00Z" }\n'),
      [
        { service: "api", from: t0 + 30 * MIN, until: t0 + 90 * MIN },
        { service: "db", from: t0 + 5 * H, until: t0 + 6 * H },
      ],
      api,
      t0 - H,
      t0 + 24 * H,
    );
    expect(got).toEqual([{ from: t0, to: t0 + 90 * MIN }]);
  });
});
