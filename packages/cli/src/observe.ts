import type { Config, EngineEvent, ServiceSnapshot } from "@vigil/orchestrator";
import type { CommandContext } from "./context.ts";
import { withEngine } from "./engine.ts";

/** Extra time over the slowest check's timeout before giving up on a first result. */
const GRACE_MS = 2_000;

/** How long a first round of every check may take: the slowest check's timeout plus grace. */
export function firstRoundBudget(config: Config): number {
  const timeouts = Object.values(config.services).flatMap((service) =>
    service.checks.map((check) => check.timeout ?? config.defaults.check.timeout),
  );
  return Math.max(0, ...timeouts) + GRACE_MS;
}

/**
 * Opens the engine with its monitor running, waits until every check has reported once (they run
 * in parallel) or the budget is spent, and returns the board: runtime facts from the runners
 * (including services an earlier invocation started), health from the checks.
 */
export async function observe(
  ctx: CommandContext,
  opts: { budgetMs?: number; onEvent?: (event: EngineEvent) => void } = {},
): Promise<ServiceSnapshot[]> {
  const expected = new Map(
    Object.entries(ctx.config.services).map(([name, svc]) => [name, svc.checks.length]),
  );
  const seen = new Map<string, Set<string>>();
  let settle = (): void => {};
  const complete = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const isComplete = (): boolean =>
    [...expected].every(([name, count]) => (seen.get(name)?.size ?? 0) >= count);
  const onEvent = (event: EngineEvent): void => {
    opts.onEvent?.(event);
    if (event.type !== "check.result") return;
    const checks = seen.get(event.service) ?? new Set<string>();
    checks.add(event.check);
    seen.set(event.service, checks);
    if (isComplete()) settle();
  };
  return withEngine(
    ctx,
    onEvent,
    async (engine) => {
      if (!isComplete()) {
        let timer: NodeJS.Timeout | undefined;
        const budget = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, opts.budgetMs ?? firstRoundBudget(ctx.config));
        });
        const aborted = new Promise<void>((resolve) =>
          ctx.io.signal?.addEventListener("abort", () => resolve()),
        );
        await Promise.race([complete, budget, aborted]).finally(() => clearTimeout(timer));
      }
      return engine.snapshot();
    },
    { monitorChecks: true },
  );
}
