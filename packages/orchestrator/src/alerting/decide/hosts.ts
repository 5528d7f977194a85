import { hostLabel } from "../../status/model.ts";
import type { AlertService } from "./policy.ts";
import type { ObservedStatus } from "./roots.ts";

/*
 * A Docker host that does not answer is one root cause, like a failing dependency: its services
 * are `host-unreachable`, and one alert names the host with them as affected, instead of one
 * alert per container. The host takes part in the decisions as a pseudo-service `host:<name>`
 * (a colon is not allowed in service names, so it cannot collide) that every docker service on
 * it depends on; its status is derived here from theirs.
 */

const PREFIX = "host:";

/** The decisions' name of the host a docker service runs on (`host:local` for the default engine). */
export const hostRoot = (host: string | undefined): string => `${PREFIX}${hostLabel(host)}`;

/** The host's own name when `root` is a host pseudo-service. */
export const hostOfRoot = (root: string): string | undefined =>
  root.startsWith(PREFIX) ? root.slice(PREFIX.length) : undefined;

/**
 * The status of each host touched by `observed`: `host-unreachable` while any service on it says
 * so (with that service's reason, which names the host and the engine's error), else healthy.
 */
export function hostObservations(
  observed: readonly { service: string }[],
  statuses: ReadonlyMap<string, ObservedStatus>,
  services: ReadonlyMap<string, AlertService>,
): ({ service: string } & ObservedStatus)[] {
  const hostOf = (service: string) =>
    services.get(service)?.dependsOn.find((dep) => hostOfRoot(dep) !== undefined);
  const touched = new Set(observed.flatMap(({ service }) => hostOf(service) ?? []));
  const unreachable = (status: ObservedStatus | undefined) => status?.status === "host-unreachable";
  return [...touched].map((root) => {
    let down = observed
      .filter(({ service }) => hostOf(service) === root)
      .map(({ service }) => statuses.get(service))
      .find(unreachable);
    // Only a host that was down can have another service still saying so: scan just then.
    if (!down && unreachable(statuses.get(root))) {
      for (const [service, status] of statuses) {
        if (unreachable(status) && hostOf(service) === root) {
          down = status;
          break;
        }
      }
    }
    return down
      ? { service: root, status: "host-unreachable", reason: down.reason, blockedBy: [] }
      : {
          service: root,
          status: "healthy",
          reason: `Docker host ${hostOfRoot(root)} answers`,
          blockedBy: [],
        };
  });
}
