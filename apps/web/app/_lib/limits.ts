import type { LimitsView } from "../../lib/contract";
import { formatBytes } from "./time";

/** "0.2 CPU · 128.0 MiB · cgroup v1": the run's limits and what enforces them. */
export function limitsText(limits: LimitsView): string {
  const parts = [
    ...(limits.cpus === undefined ? [] : [`${limits.cpus} CPU`]),
    ...(limits.memoryBytes === undefined ? [] : [formatBytes(limits.memoryBytes)]),
    limits.label,
  ];
  return parts.join(" · ");
}
