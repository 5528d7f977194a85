import type { ActionHandle, Engine } from "@vigil/orchestrator";
import type { CommandContext } from "../context.ts";
import { withEngine } from "../engine.ts";
import { EXIT } from "../exit.ts";
import { createProgress } from "../ui/progress.ts";

/** Who the engine records as having asked; the web app records user names. */
export const REQUESTED_BY = "cli";

/**
 * Runs one engine action (start/stop/restart/rollback) with progress, and maps its outcome to the
 * exit code. Ctrl-C cancels the action through the engine, which rolls back what it began.
 */
export async function runAction(
  ctx: CommandContext,
  invoke: (engine: Engine) => ActionHandle,
): Promise<number> {
  const progress = createProgress(ctx.io, ctx.palette);
  try {
    return await withEngine(
      ctx,
      (event) => progress.onEvent(event),
      async (engine) => {
        const handle = invoke(engine);
        progress.follow(handle.plan, handle.deduplicated);
        const cancel = () => engine.cancel(handle.actionId);
        ctx.io.signal?.addEventListener("abort", cancel, { once: true });
        try {
          const outcome = await handle.done;
          progress.finish(outcome);
          return outcome.result === "succeeded" ? EXIT.ok : EXIT.failed;
        } finally {
          ctx.io.signal?.removeEventListener("abort", cancel);
        }
      },
    );
  } finally {
    progress.close();
  }
}
