import { z } from "zod";
import { duration } from "../config/duration.ts";
import { CheckSchema, type CheckSpec } from "./registry.ts";
import { checkPolicy, type PolicyFields } from "./support/policy.ts";
import { passes, verdict } from "./support/result.ts";
import type { CheckKindDef, Probe, ProbeResult } from "./types.ts";

export type StagedCheckSpec = PolicyFields & {
  kind: "staged";
  stages: { name: string; timeout?: number | undefined; check: CheckSpec }[];
};

// Recursive: each stage holds any check, so the schema refers back to the registry's union lazily.
export const StagedCheck: z.ZodType<StagedCheckSpec, unknown> = z.lazy(() =>
  z
    .strictObject({
      kind: z.literal("staged"),
      ...checkPolicy,
      stages: z
        .array(
          z.strictObject({
            name: z.string().min(1).describe("Stage name, e.g. port-listening."),
            timeout: duration.optional().describe("Bound for this stage within the check's timeout."),
            check: CheckSchema,
          }),
        )
        .min(1)
        .describe("Ordered stages; the first that fails ends the run."),
    })
    .describe("Ordered stages (process up → port listening → API answers), each its own check."),
);

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

export const staged: CheckKindDef<StagedCheckSpec> = { schema: StagedCheck, probe: stagedProbe };
