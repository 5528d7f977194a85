import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/errors.ts";
import { parseConfigText } from "../config/parse.ts";

const SERVICES = `services:
  redis: { kind: external, group: data }
  api: { kind: process, command: x, depends_on: [redis] }
`;

function errorsOf(text: string): string {
  try {
    parseConfigText(text, "vigil.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("config loaded without error");
}

describe("alerting config", () => {
  it("defaults to no channels, routes or windows when `alerting:` is absent", () => {
    const { config } = parseConfigText(SERVICES, "vigil.yaml");
    expect(config.alerting).toEqual({
      public_url: "http://127.0.0.1:3000",
      channels: {},
      routes: [],
      defaults: {},
      maintenance: [],
      resource_rules: [],
      give_up_after: 3_600_000,
    });
  });

  it("reads routes, defaults, per-service overrides and both kinds of maintenance window", () => {
    const text = `services:
  redis: { kind: external, group: data }
  api:
    kind: process
    command: x
    alerts: { after: 5, remind: { every: 30m, times: 3 } }
alerting:
  channels:
    hook: { kind: webhook, url: "http://127.0.0.1:9/" }
  routes:
    - { name: data, match: { groups: data, severity: critical }, channels: [hook] }
  defaults: { for: 2m, escalate: { after: 15m, to: data }, flapping: { flips: 5, within: 10m } }
  maintenance:
    - { name: patch, all: true, from: "2026-12-01T02:00:00+01:00", to: "2026-12-01T03:00:00+01:00" }
    - { services: api, cron: "0 3 * * 0", duration: 30m, timezone: Europe/Berlin, pause_restarts: true }
`;
    const { config } = parseConfigText(text, "vigil.yaml");
    expect(config.alerting.routes[0]).toEqual({
      name: "data",
      match: { groups: ["data"], severity: ["critical"] },
      channels: ["hook"],
      continue: false,
    });
    expect(config.alerting.defaults).toEqual({
      for: 120_000,
      escalate: { after: 900_000, to: "data" },
      flapping: { flips: 5, within: 600_000 },
    });
    expect(config.services.api?.alerts).toEqual({ after: 5, remind: { every: 1_800_000, times: 3 } });
    expect(config.alerting.maintenance[1]).toMatchObject({
      services: ["api"],
      duration: 1_800_000,
      timezone: "Europe/Berlin",
      pause_restarts: true,
    });
  });

  it("reports unknown channels, routes, services, groups, bad cron and time zones at their line:col", () => {
    const text = `${SERVICES}alerting:
  channels:
    hook: { kind: webhook, url: "http://127.0.0.1:9/" }
  routes:
    - { name: main, channels: [hok] }
  defaults: { escalate: { after: 5m, to: mian } }
  maintenance:
    - { services: [reddis], from: "2026-12-01T02:00:00Z", to: "2026-12-01T03:00:00Z" }
    - { groups: [dta], cron: "0 3 * * *", duration: 1h }
    - { all: true, cron: "61 * * * *", duration: 1h }
    - { all: true, cron: "0 3 * * *", duration: 1h, timezone: Mars/Olympus }
`;
    expect(errorsOf(text).split("\n")).toEqual([
      'Config error at vigil.yaml:8:32: alerting.routes[0].channels[0]: unknown channel "hok" (did you mean "hook"?)',
      'Config error at vigil.yaml:9:42: alerting.defaults.escalate.to: unknown route "mian" (did you mean "main"?) (escalation names a route by its name)',
      'Config error at vigil.yaml:11:20: alerting.maintenance[0].services[0]: unknown service "reddis" (did you mean "redis"?)',
      'Config error at vigil.yaml:12:18: alerting.maintenance[1].groups[0]: unknown group "dta" (did you mean "data"?)',
      expect.stringMatching(
        /^Config error at vigil\.yaml:13:26: alerting\.maintenance\[2\]\.cron: invalid cron pattern "61 \* \* \* \*": /,
      ),
      'Config error at vigil.yaml:14:63: alerting.maintenance[3].timezone: unknown time zone "Mars/Olympus"',
    ]);
  });

  it("rejects maintenance windows that are neither one-off nor recurring, or half of either", () => {
    const window = (body: string) => `${SERVICES}alerting:\n  maintenance:\n    - { all: true${body} }\n`;
    expect(errorsOf(window(""))).toBe(
      "Config error at vigil.yaml:6:7: alerting.maintenance[0]: give either from/to (one-off) or cron + duration (recurring)",
    );
    expect(errorsOf(window(', from: "2026-12-01T02:00:00Z"'))).toMatch(
      /alerting\.maintenance\[0\]\.to: a one-off window needs both from and to$/,
    );
    expect(errorsOf(window(', from: "2026-12-01T02:00:00Z", to: "2026-12-01T01:00:00Z"'))).toMatch(
      /alerting\.maintenance\[0\]\.to: to must be after from$/,
    );
    expect(errorsOf(window(', cron: "0 3 * * *"'))).toMatch(
      /alerting\.maintenance\[0\]\.duration: a recurring window needs both cron and duration$/,
    );
    expect(
      errorsOf(`${SERVICES}alerting:\n  maintenance:\n    - { cron: "0 3 * * *", duration: 1h }\n`),
    ).toMatch(/alerting\.maintenance\[0\]: name services, groups or all: true$/);
  });

  it("suggests the keys of a route or a policy for a typo", () => {
    const text = `${SERVICES}alerting:\n  routes:\n    - { chanels: [x] }\n  defaults: { remind: { evry: 1m, times: 2 } }\n`;
    const message = errorsOf(text);
    expect(message).toContain('alerting.routes[0].chanels: unknown key "chanels" (did you mean "channels"?)');
    expect(message).toContain('alerting.defaults.remind.evry: unknown key "evry" (did you mean "every"?)');
  });

  it("validates each channel with its own kind's schema and names unknown kinds", () => {
    const text = `${SERVICES}alerting:
  channels:
    hook: { kind: webhok, url: "http://127.0.0.1:9/" }
    other: { kind: webhook, ulr: "http://127.0.0.1:9/" }
`;
    const lines = errorsOf(text).split("\n");
    expect(lines[0]).toMatch(
      /^Config error at vigil\.yaml:6:19: alerting\.channels\.hook\.kind: unknown channel kind "webhok" \(did you mean "webhook"\?\)/,
    );
    expect(lines).toContain(
      'Config error at vigil.yaml:7:29: alerting.channels.other.ulr: unknown key "ulr" (did you mean "url"?)',
    );
  });

  it("keeps a channel's secret fields out of every message", () => {
    const text = `${SERVICES}alerting:
  channels:
    hook: { kind: webhook, url: "http://127.0.0.1:9/", secret: "0123456789abcdef-hmac" }
  defaults: { escalate: { after: 1m, to: "0123456789abcdef-hmac" } }
`;
    expect(errorsOf(text)).toBe(
      'Config error at vigil.yaml:7:42: alerting.defaults.escalate.to: unknown route "***" (escalation names a route by its name)',
    );
  });
});
