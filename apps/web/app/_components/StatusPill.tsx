import type { ServiceStatus } from "../../lib/contract";
import { STATUS_META } from "../_lib/status";
import { StatusIcon } from "./icons";

/** Colour + icon + word: the status is readable without colour. */
export function StatusPill({ status, size = "md" }: { status: ServiceStatus; size?: "sm" | "md" | "lg" }) {
  const m = STATUS_META[status];
  const pad =
    size === "lg" ? "px-3 py-1 text-base" : size === "sm" ? "px-1.5 py-0.5 text-xs" : "px-2 py-0.5 text-sm";
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full font-semibold ${pad} ${m.text} ${m.bg} ring-1 ring-current/30`}
      data-status={status}
    >
      <StatusIcon status={status} size={size === "lg" ? 18 : size === "sm" ? 12 : 14} />
      {m.word}
    </span>
  );
}
