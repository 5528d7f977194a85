import { WrenchIcon } from "./icons";
import { PILL_ICON, PILL_PAD, type PillSize } from "./StatusPill";

/** "maintenance" with its own colour and wrench icon, beside a service's status pill. */
export function MaintenanceBadge({ size = "md" }: { size?: PillSize }) {
  return (
    <span
      data-testid="maintenance-badge"
      title="In a maintenance window or silenced: no alerts are sent"
      className={`inline-flex items-center gap-1.5 rounded-full font-semibold ${PILL_PAD[size]} bg-st-maintenance-bg text-st-maintenance ring-1 ring-current/30`}
    >
      <WrenchIcon size={PILL_ICON[size]} />
      maintenance
    </span>
  );
}
