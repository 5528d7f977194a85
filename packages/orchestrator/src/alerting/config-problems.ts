import { Cron } from "croner";
import { didYouMean } from "../config/did-you-mean.ts";
import type { PathSegment } from "../config/errors.ts";
import type { Config } from "../config/schema.ts";
import type { SchemaProblem } from "../config/zod-issues.ts";

/**
 * What zod alone cannot check in `alerting:`: routes and escalations naming channels and routes
 * that exist, maintenance naming known services and groups, cron patterns and time zones that
 * parse. (Each channel's own settings are validated by its schema from the channel registry.)
 */
export function alertingProblems(config: Config): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const add = (path: PathSegment[], message: string, atKey = false) =>
    problems.push({ path: ["alerting", ...path], message, atKey });
  const { alerting } = config;

  const channelNames = Object.keys(alerting.channels);
  const routeNames = alerting.routes.flatMap((r) => (r.name ? [r.name] : []));
  alerting.routes.forEach((route, i) => {
    route.channels.forEach((channel, j) => {
      if (!alerting.channels[channel]) {
        add(["routes", i, "channels", j], `unknown channel "${channel}"${didYouMean(channel, channelNames)}`);
      }
    });
  });

  const services = Object.keys(config.services);
  const groups = [...new Set(Object.values(config.services).map((s) => s.group))];
  const checkEscalation = (path: PathSegment[], to: string | undefined) => {
    if (to !== undefined && !routeNames.includes(to)) {
      add(path, `unknown route "${to}"${didYouMean(to, routeNames)} (escalation names a route by its name)`);
    }
  };
  checkEscalation(["defaults", "escalate", "to"], alerting.defaults.escalate?.to);
  for (const [serviceName, service] of Object.entries(config.services)) {
    const to = service.alerts?.escalate?.to;
    if (to !== undefined && !routeNames.includes(to)) {
      problems.push({
        path: ["services", serviceName, "alerts", "escalate", "to"],
        atKey: false,
        message: `unknown route "${to}"${didYouMean(to, routeNames)}`,
      });
    }
  }

  const checkTargets = (section: "maintenance" | "resource_rules", i: number, target: Targets) => {
    target.services?.forEach((service, j) => {
      if (!config.services[service]) {
        add([section, i, "services", j], `unknown service "${service}"${didYouMean(service, services)}`);
      }
    });
    target.groups?.forEach((group, j) => {
      if (!groups.includes(group)) {
        add([section, i, "groups", j], `unknown group "${group}"${didYouMean(group, groups)}`);
      }
    });
  };
  alerting.resource_rules.forEach((rule, i) => {
    checkTargets("resource_rules", i, rule);
  });
  alerting.maintenance.forEach((window, i) => {
    checkTargets("maintenance", i, window);
    if (!validTimezone(window.timezone))
      add(["maintenance", i, "timezone"], `unknown time zone "${window.timezone}"`);
    else if (window.cron !== undefined) {
      const error = cronError(window.cron, window.timezone);
      if (error) add(["maintenance", i, "cron"], `invalid cron pattern "${window.cron}": ${error}`);
    }
  });
  return problems;
}

interface Targets {
  services?: readonly string[] | undefined;
  groups?: readonly string[] | undefined;
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function cronError(pattern: string, timezone: string): string | undefined {
  try {
    new Cron(pattern, { timezone, paused: true }).stop();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
