import { z } from "zod";
import { CheckSchema, type CheckSpec } from "./registry.ts";
import { checkNames } from "./support/names.ts";
import { checkPolicy, type PolicyFields } from "./support/policy.ts";
import { passes, verdict } from "./support/result.ts";
import type { CheckKindDef, Probe } from "./types.ts";

export type CompositeCheckSpec = PolicyFields & {
  kind: "composite";
  mode: "all" | "any" | "quorum";
  quorum?: number | undefined;
  checks: CheckSpec[];
};

// Recursive: children are any check, so the schema refers back to the registry's union lazily.
export const CompositeCheck: z.ZodType<CompositeCheckSpec, unknown> = z.lazy(() =>
  z
    .strictObject({
      kind: z.literal("composite"),
      ...checkPolicy,
      mode: z
        .enum(["all", "any", "quorum"])
        .default("all")
        .describe("all children must pass, any one, or a quorum of N."),
      quorum: z.number().int().min(1).optional().describe("With mode quorum: how many children must pass."),
      checks: z.array(CheckSchema).min(1).describe("Child checks, run in parallel."),
    })
    .refine((c) => c.mode !== "quorum" || (c.quorum !== undefined && c.quorum <= c.checks.length), {
      message: "mode quorum needs quorum: N with N <= number of checks",
      path: ["quorum"],
    })
    .describe("all / any / quorum over child checks run in parallel."),
);

/** all / any / quorum over child checks, run in parallel under the parent's signal. */
export const compositeProbe: Probe<CompositeCheckSpec> = async (spec, ctx) => {
  const runChild = ctx.runChild;
  if (!runChild) throw new Error("composite check needs runChild");
  const names = checkNames(spec.checks);
  const results = await Promise.all(spec.checks.map((child) => runChild(child, ctx.signal)));
  const children = results.map((r, i) => ({
    name: names[i],
    kind: spec.checks[i]?.kind,
    status: r.status,
    latencyMs: r.latencyMs,
    message: r.message,
  }));
  const passing = children.filter((c) => passes(c.status));
  const healthyCount = children.filter((c) => c.status === "healthy").length;
  const need =
    spec.mode === "all" ? children.length : spec.mode === "any" ? 1 : (spec.quorum ?? children.length);
  const label = spec.mode === "quorum" ? `quorum ${need}` : spec.mode;
  const summary = `${passing.length}/${children.length} passing (${label})`;
  const details = { mode: spec.mode, need, children };
  if (passing.length < need) {
    const failed = children.filter((c) => !passes(c.status)).map((c) => `${c.name}: ${c.message}`);
    return verdict("unhealthy", `${summary}; ${failed.join("; ")}`, details);
  }
  return verdict(healthyCount >= need ? "healthy" : "degraded", summary, details);
};

export const composite: CheckKindDef<CompositeCheckSpec> = { schema: CompositeCheck, probe: compositeProbe };
