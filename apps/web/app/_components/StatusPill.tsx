import type { ServiceStatus } from "../../lib/contract";
import { STATUS_META } from "../_lib/status";
import { StatusIcon } from "./icons";

export type PillSize = "sm" | "md" | "lg";

/** Padding and text size of a pill, shared with MaintenanceBadge so the two sit level. */
export const PILL_PAD: Record<PillSize, string> = {
  sm: "px-1.5 py-0.5 text-xs",
  md: "px-2 py-0.5 text-sm",
  lg: "px-3 py-1 text-base",
};
export const PILL_ICON: Record<PillSize, number> = { sm: 12, md: 14, lg: 18 };

/** Colour + icon + word: the status is readable without colour. */
export function StatusPill({ status, size = "md" }: { status: ServiceStatus; size?: PillSize }) {
  const m = STATUS_META[status];
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full font-semibold ${PILL_PAD[size]} ${m.text} ${m.bg} ring-1 ring-current/30`}
      data-status={status}
    >
      <StatusIcon status={status} size={PILL_ICON[size]} />
      {m.word}
    </span>
  );
}
