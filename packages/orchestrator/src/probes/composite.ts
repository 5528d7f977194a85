import type { CompositeCheckSpec } from "../config/schema.ts";
import { checkNames } from "./names.ts";
import { passes, verdict } from "./result.ts";
import type { Probe } from "./types.ts";

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
