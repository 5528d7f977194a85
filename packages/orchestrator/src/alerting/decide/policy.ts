import type { Config } from "../../config/schema.ts";
import type { Severity } from "../../notify/types.ts";
import type { RouteSpecConfig } from "../config.ts";
import { hostRoot } from "./hosts.ts";

/** The alert policy of one service: `alerting.defaults` with its `alerts:` overrides applied. */
export interface AlertPolicy {
  enabled: boolean;
  /** Consecutive unhealthy results before alerting (undefined when only `for` is set). */
  after: number | undefined;
  /** Unhealthy this long before alerting. */
  forMs: number | undefined;
  sendOnResolve: boolean;
  remind: { every: number; times: number } | undefined;
  escalate: { after: number; to: string } | undefined;
  flapping: { flips: number; within: number } | undefined;
  severity: Severity;
}

/** What the decisions know about a configured service. */
export interface AlertService {
  name: string;
  group: string;
  critical: boolean;
  dependsOn: readonly string[];
  /** Vigil can restart / roll it back (not `external`), so notifications link the confirmation. */
  controllable: boolean;
  policy: AlertPolicy;
  /** A Docker host's entry: routed as its services are (a route names services and groups, not hosts). */
  routedAs?: readonly AlertService[];
}

/**
 * Every service of a config with its resolved policy, plus one entry per Docker host its docker
 * services run on (decide/hosts.ts): a host that does not answer is the root of their alerts.
 */
export function alertServices(config: Config): Map<string, AlertService> {
  const out = new Map<string, AlertService>();
  for (const [name, service] of Object.entries(config.services)) {
    const dependsOn = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on);
    out.set(name, {
      name,
      group: service.group,
      critical: service.critical,
      dependsOn: service.kind === "docker" ? [...dependsOn, hostRoot(service.host)] : dependsOn,
      // External services and jobs have no restart or rollback to offer in the notification.
      controllable: service.kind !== "external" && service.kind !== "job",
      policy: alertPolicy(config, service.alerts ?? {}, service.critical),
    });
  }
  for (const host of hostAlertServices(config, out)) out.set(host.name, host);
  return out;
}

/** One alert entry per host in use; critical when any service on it is, with the defaults' policy. */
function hostAlertServices(config: Config, services: ReadonlyMap<string, AlertService>): AlertService[] {
  const on = new Map<string, AlertService[]>();
  for (const [name, service] of Object.entries(config.services)) {
    const info = services.get(name);
    if (service.kind !== "docker" || !info) continue;
    const root = hostRoot(service.host);
    on.set(root, [...(on.get(root) ?? []), info]);
  }
  return [...on].map(([name, members]) => {
    const critical = members.some((m) => m.critical);
    return {
      name,
      group: "docker hosts",
      critical,
      dependsOn: [],
      controllable: false,
      policy: alertPolicy(config, {}, critical),
      routedAs: members,
    };
  });
}

/** `alerting.defaults` with a service's own `alerts:` over them. */
export function alertPolicy(
  config: Config,
  own: NonNullable<Config["services"][string]["alerts"]>,
  critical: boolean,
): AlertPolicy {
  const defaults = config.alerting.defaults;
  const pick = <K extends keyof typeof defaults>(key: K) =>
    (own[key] ?? defaults[key]) as (typeof defaults)[K];
  const after = pick("after");
  const forMs = pick("for");
  return {
    enabled: own.enabled ?? true,
    // Neither threshold set: the first unhealthy result alerts (checks have their own failure_threshold).
    after: after ?? (forMs === undefined ? 1 : undefined),
    forMs,
    sendOnResolve: pick("send_on_resolve") ?? true,
    remind: pick("remind"),
    escalate: pick("escalate"),
    flapping: pick("flapping"),
    severity: pick("severity") ?? (critical ? "critical" : "warning"),
  };
}

/**
 * The channels a notification about `service` goes to. Routes are tried in order; the first
 * match wins, unless it says `continue: true`, in which case later routes are tried as well
 * (Alertmanager's rule). No route matches → no channel (the notification is still recorded).
 */
export function routeChannels(
  routes: readonly RouteSpecConfig[],
  service: AlertService,
  severity: Severity,
): string[] {
  if (service.routedAs)
    return [...new Set(service.routedAs.flatMap((member) => routeChannels(routes, member, severity)))];
  const channels = new Set<string>();
  for (const route of routes) {
    const m = route.match;
    const matches =
      (m.services === undefined || m.services.includes(service.name)) &&
      (m.groups === undefined || m.groups.includes(service.group)) &&
      (m.criticality === undefined || m.criticality === (service.critical ? "critical" : "normal")) &&
      (m.severity === undefined || m.severity.includes(severity));
    if (!matches) continue;
    for (const channel of route.channels) channels.add(channel);
    if (!route.continue) break;
  }
  return [...channels];
}

/** The channels of the route named `name` (escalation targets), or none. */
export function namedRouteChannels(routes: readonly RouteSpecConfig[], name: string): string[] {
  return routes.find((r) => r.name === name)?.channels ?? [];
}
