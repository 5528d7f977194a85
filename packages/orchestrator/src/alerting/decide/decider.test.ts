import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../config/parse.ts";
import type { ServiceStatus } from "../../status/model.ts";
import { MaintenanceCalendar } from "../maintenance.ts";
import { AlertDecider, type Decision } from "./decider.ts";
import { alertServices } from "./policy.ts";

const T0 = Date.parse("2026-11-30T03:00:00Z");
const MIN = 60_000;

/** Six services behind redis, plus a standalone worker. */
const STACK = `
services:
  redis: { kind: external, critical: true }
  worker: { kind: process, command: w }
${["api", "auth", "cart", "feed", "mail", "search"]
  .map((s) => `  ${s}: { kind: process, command: x, group: web, depends_on: [redis] }`)
  .join("\n")}
  edge: { kind: process, command: e, depends_on: [api] }
`;

function decider(alerting: string, services = STACK): AlertDecider {
  const { config } = parseConfigText(`${services}\nalerting:\n${alerting}`, "vigil.yaml");
  let n = 0;
  return new AlertDecider({
    services: alertServices(config),
    routes: config.alerting.routes,
    publicUrl: config.alerting.public_url,
    calendar: new MaintenanceCalendar(config.alerting.maintenance),
    newId: () => `n${++n}`,
  });
}

const ROUTES = `
  public_url: https://vigil.example.com/
  channels:
    hook: { kind: webhook, url: "http://127.0.0.1:9/hook" }
    pager: { kind: webhook, url: "http://127.0.0.1:9/pager" }
  routes:
    - { name: all, channels: [hook] }
    - { name: oncall, channels: [pager] }
`;

type Row = [service: string, status: ServiceStatus, blockedBy?: string[]];
const status = (at: number, ...rows: Row[]) => ({
  type: "status" as const,
  at,
  services: rows.map(([service, s, blockedBy = []]) => ({
    service,
    status: s,
    reason: `${service} ${s}`,
    blockedBy,
  })),
});
const BLOCKED = ["api", "auth", "cart", "feed", "mail", "search", "edge"].map(
  (s): Row => [s, "blocked", ["redis"]],
);
const HEALTHY = ["redis", "api", "auth", "cart", "feed", "mail", "search", "edge", "worker"].map(
  (s): Row => [s, "healthy"],
);
const summary = (decisions: Decision[]) =>
  decisions.map(
    (d) => `${d.notification.event} ${d.notification.rootCause.service} → ${d.channels.join(",")}`,
  );

describe("alert decisions (fake time)", () => {
  it("alerts on a failed or missed job like any unhealthy service, without restart or rollback links", () => {
    const jobs = `${STACK}  backup: { kind: job, command: pg_dump, schedule: "0 3 * * *" }\n`;
    const d = decider(ROUTES, jobs);
    d.handle(status(T0, ...HEALTHY, ["backup", "healthy"]));
    const [sent] = d.handle(status(T0 + 1000, ["backup", "unhealthy"]));
    expect(sent?.notification).toMatchObject({ event: "trigger", title: "backup is unhealthy" });
    expect(sent?.notification.links.restart).toBeUndefined();
    expect(sent?.notification.links.rollback).toBeUndefined();
  });

  it("sends one alert naming the root cause and listing the services it blocks, never one per blocked service", () => {
    const d = decider(ROUTES);
    expect(d.handle(status(T0, ...HEALTHY))).toEqual([]);
    const sent = d.handle(status(T0 + 1000, ["redis", "unhealthy"], ...BLOCKED));
    expect(summary(sent)).toEqual(["trigger redis → hook"]);
    const n = sent[0]!.notification;
    expect(n.title).toBe("redis is unhealthy (blocks 7 services)");
    expect(n.affected).toEqual(["api", "auth", "cart", "edge", "feed", "mail", "search"]);
    expect(n.severity).toBe("critical");
    // Later results of the blocked services, even their own checks failing, add nothing.
    expect(d.handle(status(T0 + 2000, ...BLOCKED, ["api", "unhealthy"], ["redis", "unhealthy"]))).toEqual([]);
  });

  it("alerts for a dependent that fails for its own reason while its dependencies are healthy", () => {
    const d = decider(ROUTES);
    d.handle(status(T0, ...HEALTHY));
    const sent = d.handle(status(T0 + 1000, ["api", "unhealthy"], ["edge", "blocked", ["api"]]));
    expect(summary(sent)).toEqual(["trigger api → hook"]);
    expect(sent[0]!.notification.affected).toEqual(["edge"]);
    expect(sent[0]!.notification.severity).toBe("warning");
  });

  it("sends resolve once, with the trigger's incident key and unique ids", () => {
    const d = decider(ROUTES);
    const [trigger] = d.handle(status(T0, ["redis", "unhealthy"], ...BLOCKED));
    const resolved = d.handle(status(T0 + MIN, ...HEALTHY));
    expect(summary(resolved)).toEqual(["resolve redis → hook"]);
    expect(resolved[0]!.notification.incidentKey).toBe(trigger!.notification.incidentKey);
    expect(resolved[0]!.notification.id).not.toBe(trigger!.notification.id);
    expect(resolved[0]!.notification.title).toBe("redis recovered");
    expect(d.handle(status(T0 + 2 * MIN, ...HEALTHY))).toEqual([]);
    expect(d.handle({ type: "tick", at: T0 + 3 * MIN })).toEqual([]);
  });

  it("gives absolute links: the service page over a fixed window and the action confirmation, not an action", () => {
    const d = decider(ROUTES);
    const [sent] = d.handle(status(T0, ["worker", "unhealthy"]));
    expect(sent!.notification.links).toEqual({
      service:
        "https://vigil.example.com/services/worker?from=2026-11-30T02%3A30%3A00.000Z&to=2026-11-30T03%3A05%3A00.000Z",
      incident: `https://vigil.example.com/incidents/${encodeURIComponent("worker@2026-11-30T03:00:00.000Z")}`,
      restart: "https://vigil.example.com/services/worker?confirm=restart",
      rollback: "https://vigil.example.com/services/worker?confirm=rollback",
    });
    // An external service cannot be restarted by Vigil: no action links.
    const [redis] = d.handle(status(T0, ["redis", "unhealthy"]));
    expect(redis!.notification.links.restart).toBeUndefined();
  });

  it("waits for N consecutive unhealthy results, and a healthy result starts the count again", () => {
    const d = decider(`${ROUTES}  defaults: { after: 3 }\n`);
    expect(d.handle(status(T0, ["worker", "unhealthy"]))).toEqual([]);
    expect(d.handle(status(T0 + 1000, ["worker", "unhealthy"]))).toEqual([]);
    expect(d.handle(status(T0 + 2000, ["worker", "healthy"]))).toEqual([]);
    expect(d.handle(status(T0 + 3000, ["worker", "unhealthy"]))).toEqual([]);
    expect(d.handle(status(T0 + 4000, ["worker", "unhealthy"]))).toEqual([]);
    expect(summary(d.handle(status(T0 + 5000, ["worker", "unhealthy"])))).toEqual(["trigger worker → hook"]);
  });

  it("alerts after a duration once time passes, and a recovery before it sends nothing", () => {
    const d = decider(`${ROUTES}  defaults: { for: 2m }\n`);
    d.handle(status(T0, ["worker", "unhealthy"]));
    expect(d.handle({ type: "tick", at: T0 + MIN })).toEqual([]);
    expect(summary(d.handle({ type: "tick", at: T0 + 2 * MIN }))).toEqual(["trigger worker → hook"]);
    d.handle(status(T0 + 3 * MIN, ["worker", "healthy"]));
    d.handle(status(T0 + 10 * MIN, ["worker", "unhealthy"]));
    expect(d.handle(status(T0 + 11 * MIN, ["worker", "healthy"]))).toEqual([]);
    expect(d.handle({ type: "tick", at: T0 + 20 * MIN })).toEqual([]);
  });

  it("applies per-service overrides: disabled services never alert, severity and thresholds per service", () => {
    const services = `${STACK}  quiet: { kind: process, command: q, alerts: { enabled: false } }
  slow: { kind: process, command: s, alerts: { after: 2, severity: info } }
`;
    const d = decider(ROUTES, services);
    expect(d.handle(status(T0, ["quiet", "unhealthy"], ["slow", "unhealthy"]))).toEqual([]);
    const [slow] = d.handle(status(T0 + 1000, ["quiet", "unhealthy"], ["slow", "unhealthy"]));
    expect(slow!.notification.severity).toBe("info");
    expect(slow!.notification.rootCause.service).toBe("slow");
  });

  it("reminds every R while down, at most K times", () => {
    const d = decider(`${ROUTES}  defaults: { remind: { every: 10m, times: 2 } }\n`);
    d.handle(status(T0, ["worker", "unhealthy"]));
    const events: string[] = [];
    for (let m = 1; m <= 60; m++) events.push(...summary(d.handle({ type: "tick", at: T0 + m * MIN })));
    expect(events).toEqual(["reminder worker → hook", "reminder worker → hook"]);
  });

  it("acknowledging stops reminders and escalation and tells the channels who acknowledged", () => {
    const d = decider(
      `${ROUTES}  defaults: { remind: { every: 5m, times: 10 }, escalate: { after: 15m, to: oncall } }\n`,
    );
    const [trigger] = d.handle(status(T0, ["worker", "unhealthy"]));
    expect(summary(d.handle({ type: "tick", at: T0 + 5 * MIN }))).toEqual(["reminder worker → hook"]);
    const ack = d.handle({
      type: "ack",
      at: T0 + 6 * MIN,
      incidentKey: trigger!.notification.incidentKey,
      by: "ana",
    });
    expect(summary(ack)).toEqual(["acknowledge worker → hook"]);
    expect(ack[0]!.notification.acknowledgedBy).toBe("ana");
    for (let m = 7; m <= 60; m++) expect(d.handle({ type: "tick", at: T0 + m * MIN })).toEqual([]);
    const resolve = d.handle(status(T0 + 61 * MIN, ["worker", "healthy"]));
    expect(summary(resolve)).toEqual(["resolve worker → hook"]);
    expect(resolve[0]!.notification.acknowledgedBy).toBe("ana");
  });

  it("escalates once to the named route when nobody acknowledges in time", () => {
    const d = decider(`${ROUTES}  defaults: { escalate: { after: 15m, to: oncall } }\n`);
    d.handle(status(T0, ["worker", "unhealthy"]));
    const events: string[] = [];
    for (let m = 1; m <= 60; m++) events.push(...summary(d.handle({ type: "tick", at: T0 + m * MIN })));
    expect(events).toEqual(["escalation worker → pager"]);
    expect(summary(d.handle(status(T0 + 61 * MIN, ["worker", "healthy"])))).toEqual([
      "resolve worker → hook,pager",
    ]);
  });

  it("sends one flapping notification instead of one per flip, and a resolve once it settles", () => {
    const d = decider(`${ROUTES}  defaults: { flapping: { flips: 3, within: 10m } }\n`);
    const events: string[] = [];
    for (let i = 0; i < 12; i++) {
      events.push(
        ...summary(d.handle(status(T0 + i * MIN, ["worker", i % 2 === 0 ? "unhealthy" : "healthy"]))),
      );
    }
    // Flips 1 and 2 look like an ordinary failure and recovery; flip 3 is recognised as flapping.
    expect(events).toEqual(["trigger worker → hook", "resolve worker → hook", "flapping worker → hook"]);
    events.length = 0;
    for (let m = 12; m <= 40; m++) events.push(...summary(d.handle({ type: "tick", at: T0 + m * MIN })));
    expect(events).toEqual(["resolve worker → hook"]);
  });

  it("sends nothing during maintenance and alerts if the service is still down when it ends", () => {
    const d = decider(`${ROUTES}  maintenance:
    - { name: upgrade, services: [worker], from: "2026-11-30T02:30:00Z", to: "2026-11-30T03:30:00Z" }
`);
    expect(d.handle(status(T0, ["worker", "unhealthy"]))).toEqual([]);
    expect(d.inMaintenance("worker", T0)).toBe(true);
    expect(d.handle({ type: "tick", at: T0 + 29 * MIN })).toEqual([]);
    expect(summary(d.handle({ type: "tick", at: T0 + 30 * MIN }))).toEqual(["trigger worker → hook"]);
  });

  it("honours a manual silence and a recurring window in its time zone", () => {
    const d = decider(`${ROUTES}  maintenance:
    - { groups: [web], cron: "0 4 * * *", duration: 1h, timezone: Europe/Berlin }
`);
    // 03:00Z is 04:00 in Berlin (winter): the web group is in maintenance, redis is not.
    expect(d.inMaintenance("api", T0 + MIN)).toBe(true);
    expect(d.inMaintenance("api", T0 + 61 * MIN)).toBe(false);
    expect(d.inMaintenance("redis", T0)).toBe(false);
    d.handle({ type: "silence", at: T0, silence: { service: "worker", from: T0, until: T0 + 60 * MIN } });
    expect(d.handle(status(T0 + MIN, ["worker", "unhealthy"]))).toEqual([]);
    expect(summary(d.handle({ type: "tick", at: T0 + 60 * MIN }))).toEqual(["trigger worker → hook"]);
  });

  it("routes by first match unless a route continues, by group, criticality and severity", () => {
    const alerting = `
  channels:
    a: { kind: webhook, url: "http://127.0.0.1:9/a" }
    b: { kind: webhook, url: "http://127.0.0.1:9/b" }
    c: { kind: webhook, url: "http://127.0.0.1:9/c" }
  routes:
    - { match: { criticality: critical }, channels: [a], continue: true }
    - { match: { groups: web, severity: [warning] }, channels: [b] }
    - { channels: [c] }
`;
    const first = (...rows: Row[]) => summary(decider(alerting).handle(status(T0, ...rows)));
    expect(first(["redis", "unhealthy"])).toEqual(["trigger redis → a,c"]);
    expect(first(["api", "unhealthy"], ["edge", "blocked", ["api"]])).toEqual(["trigger api → b"]);
    expect(first(["worker", "unhealthy"])).toEqual(["trigger worker → c"]);
  });

  it("hands an incident over when its root turns out to be down because of a dependency", () => {
    const d = decider(ROUTES);
    expect(summary(d.handle(status(T0, ["api", "unhealthy"])))).toEqual(["trigger api → hook"]);
    const sent = d.handle(status(T0 + 1000, ["redis", "unhealthy"], ["api", "unhealthy"]));
    expect(summary(sent)).toEqual(["trigger redis → hook", "resolve api → hook"]);
    expect(sent[1]!.notification.title).toBe("api: now attributed to redis");
    expect(sent[0]!.notification.affected).toEqual(["api"]);
  });

  it("keeps open incidents across a config reload: no second trigger, the resolve still goes out", async () => {
    const d = decider(ROUTES);
    expect(summary(d.handle(status(T0, ["worker", "unhealthy"])))).toEqual(["trigger worker → hook"]);
    const { config } = parseConfigText(`${STACK}\nalerting:\n${ROUTES}`, "vigil.yaml");
    d.reconfigure({
      services: alertServices(config),
      routes: config.alerting.routes,
      publicUrl: config.alerting.public_url,
      calendar: new MaintenanceCalendar([]),
      newId: () => "after-reload",
    });
    expect(d.handle(status(T0 + MIN, ["worker", "unhealthy"]))).toEqual([]);
    expect(summary(d.handle(status(T0 + 2 * MIN, ["worker", "healthy"])))).toEqual(["resolve worker → hook"]);
  });

  it("a Docker host that does not answer is one alert naming the host, its services affected; it resolves once", () => {
    const hosts = `
hosts:
  edge-1: { tcp: "127.0.0.1:41299" }
services:
  web: { kind: docker, image: nginx, host: edge-1 }
  cache: { kind: docker, image: redis, host: edge-1 }
  local-db: { kind: docker, image: postgres }
  api: { kind: process, command: x, depends_on: [web] }
`;
    const d = decider(ROUTES, hosts);
    const up: Row[] = [
      ["web", "healthy"],
      ["cache", "healthy"],
      ["local-db", "healthy"],
      ["api", "healthy"],
    ];
    expect(d.handle(status(T0, ...up))).toEqual([]);
    const down = d.handle(
      status(
        T0 + 1000,
        ["web", "host-unreachable"],
        ["cache", "host-unreachable"],
        ["api", "blocked", ["web"]],
      ),
    );
    expect(summary(down)).toEqual(["trigger host:edge-1 → hook"]);
    expect(down[0]!.notification.title).toBe("Docker host edge-1 is unreachable (3 services)");
    expect(down[0]!.notification.affected).toEqual(["api", "cache", "web"]);
    expect(down[0]!.notification.reason).toBe("web host-unreachable");
    expect(down[0]!.notification.links).toEqual({
      service: "https://vigil.example.com/?status=host-unreachable",
      incident: expect.stringMatching(/^https:\/\/vigil\.example\.com\/incidents\/host%3Aedge-1%40/),
    });
    // Later reports of the same outage add nothing; a host still partly down is not resolved.
    expect(d.handle(status(T0 + 2000, ["web", "healthy"], ["api", "healthy"]))).toEqual([]);
    const back = d.handle(status(T0 + 3000, ["cache", "healthy"]));
    expect(summary(back)).toEqual(["resolve host:edge-1 → hook"]);
    expect(d.handle(status(T0 + 4000, ...up))).toEqual([]);
  });

  it("a host's alert goes where its services' alerts go (routes name services and groups, not hosts)", () => {
    const routes = `
  channels:
    web: { kind: webhook, url: "http://127.0.0.1:9/web" }
    db: { kind: webhook, url: "http://127.0.0.1:9/db" }
    rest: { kind: webhook, url: "http://127.0.0.1:9/rest" }
  routes:
    - { match: { groups: [web] }, channels: [web] }
    - { match: { services: [pg] }, channels: [db] }
    - { channels: [rest] }
`;
    const services = `
hosts:
  edge-1: { tcp: "127.0.0.1:41299" }
services:
  site: { kind: docker, image: nginx, host: edge-1, group: web }
  pg: { kind: docker, image: postgres, host: edge-1 }
`;
    const d = decider(routes, services);
    d.handle(status(T0, ["site", "healthy"], ["pg", "healthy"]));
    const sent = d.handle(status(T0 + 1000, ["site", "host-unreachable"], ["pg", "host-unreachable"]));
    expect(sent.map((s) => s.channels.sort())).toEqual([["db", "web"]]);
  });

  it("a docker service failing for its own reason on a reachable host is still its own root", () => {
    const d = decider(ROUTES, "services:\n  web: { kind: docker, image: nginx }\n");
    d.handle(status(T0, ["web", "healthy"]));
    expect(summary(d.handle(status(T0 + 1000, ["web", "unhealthy"])))).toEqual(["trigger web → hook"]);
  });
});
