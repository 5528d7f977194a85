import type { StagedCheckSpec } from "../config/schema.ts";
import { passes, verdict } from "./result.ts";
import type { Probe, ProbeResult } from "./types.ts";

/**
 * Ordered stages (process started → port listening → API responsive → ...), each bounded by its own
 * timeout within the parent's. `stage.index` is the 1-based position of the last stage reached
 * (0 when none), so "stage 3/5 failed" comes with reached = stage 2, index 2.
 */
export const stagedProbe: Probe<StagedCheckSpec> = async (spec, ctx) => {
  const runChild = ctx.runChild;
  if (!runChild) throw new Error("staged check needs runChild");
  const total = spec.stages.length;
  const stages: { name: string; status: string; latencyMs: number; message: string }[] = [];
  let reached: string | null = null;
  let degraded = false;
  for (const [i, stage] of spec.stages.entries()) {
    const result: ProbeResult = await runChild(stage.check, ctx.signal, stage.timeout);
    stages.push({
      name: stage.name,
      status: result.status,
      latencyMs: result.latencyMs,
      message: result.message,
    });
    if (!passes(result.status)) {
      return {
        ...verdict("unhealthy", `stage ${i + 1}/${total} "${stage.name}" failed: ${result.message}`, {
          stages,
        }),
        stage: { reached, index: i, total, failedAt: stage.name },
      };
    }
    degraded ||= result.status === "degraded";
    reached = stage.name;
  }
  const message = `all ${total} stages passed${degraded ? " (some degraded)" : ""}`;
  return {
    ...verdict(degraded ? "degraded" : "healthy", message, { stages }),
    stage: { reached, index: total, total },
  };
};
