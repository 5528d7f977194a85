import type { DockerHealth, ServiceStatus, ServiceView } from "../../lib/contract";
import { STATUS_META } from "../_lib/status";
import { StatusIcon } from "./icons";
import { PILL_ICON, PILL_PAD, type PillSize } from "./StatusPill";

// Docker's three verdicts drawn with the board's own icon and colour for the nearest status.
const AS_STATUS: Record<DockerHealth, ServiceStatus> = {
  healthy: "healthy",
  starting: "starting",
  unhealthy: "unhealthy",
};

/** Docker's own verdict on a container (its HEALTHCHECK), as words and icon, not colour alone. */
export function DockerHealthBadge({ health, size = "md" }: { health: DockerHealth; size?: PillSize }) {
  const status = AS_STATUS[health];
  const m = STATUS_META[status];
  return (
    <span
      data-testid="docker-health"
      data-health={health}
      title="Docker's own healthcheck on the container (State.Health.Status), beside Vigil's checks"
      className={`inline-flex items-center gap-1.5 rounded-full font-semibold ${PILL_PAD[size]} ${m.text} ${m.bg} ring-1 ring-current/30`}
    >
      <StatusIcon status={status} size={PILL_ICON[size]} />
      docker health: {health}
    </span>
  );
}

/** The service's Docker health from its first docker check that reports one. */
export function dockerHealthOf(service: ServiceView): DockerHealth | undefined {
  return service.checks.find((c) => c.dockerHealth !== undefined)?.dockerHealth;
}
