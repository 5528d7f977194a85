import { randomUUID } from "node:crypto";
import {
  type AlertService,
  type Config,
  type Decision,
  type ResourceAlert,
  routeChannels,
  type ServiceStatus,
} from "@vigil/orchestrator";
import { NOTIFICATION_SCHEMA } from "@vigil/orchestrator/notify";

/**
 * A resource rule firing or ending (alerting.resource_rules) as a notification on the service's
 * routes, its own incident beside any status incident of the service: memory near its limit is
 * worth knowing while the service is still healthy.
 */
export function resourceDecision(
  alert: ResourceAlert,
  service: AlertService | undefined,
  status: ServiceStatus,
  config: Config,
): Decision {
  const base = config.alerting.public_url.replace(/\/+$/, "");
  const incidentKey = `resources/${alert.rule}/${alert.service}@${new Date(alert.since).toISOString()}`;
  return {
    notification: {
      schema: NOTIFICATION_SCHEMA,
      id: randomUUID(),
      incidentKey,
      event: alert.event,
      severity: alert.severity,
      title: alert.title,
      reason: alert.title,
      rootCause: { service: alert.service, status, ...(service ? { group: service.group } : {}) },
      affected: [],
      at: new Date(alert.at).toISOString(),
      links: {
        service: `${base}/services/${encodeURIComponent(alert.service)}`,
        incident: `${base}/incidents/${encodeURIComponent(incidentKey)}`,
      },
    },
    channels: service ? routeChannels(config.alerting.routes, service, alert.severity) : [],
  };
}
