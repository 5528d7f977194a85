import type { RestartPolicySpec, ServiceConfig } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import type { ExitInfo } from "../runners/types.ts";
import type { Runtime } from "./types.ts";

/** Consecutive quick restarts from which a service shows as "crash-loop". */
export const CRASH_LOOP_AFTER = 3;

export interface SupervisorDeps {
  service: (name: string) => ServiceConfig | undefined;
  /** Starts the service again (no action: the policy is not a user request). */
  restart: (name: string) => Promise<void>;
  /** True while an action owns the service: the action decides, not the policy. */
  isBusy: (name: string) => boolean;
  onEvent: (event: EngineEvent) => void;
  setRuntime: (name: string, runtime: Runtime) => void;
}

/** Delay before restart number `attempt` (1-based): initial·factor^(attempt-1), capped. */
export function backoffDelay(policy: RestartPolicySpec, attempt: number): number {
  const { initial, factor, max } = policy.backoff;
  return Math.min(max, Math.round(initial * factor ** Math.max(0, attempt - 1)));
}

function wantsRestart(policy: RestartPolicySpec, exit: ExitInfo, attempt: number): boolean {
  switch (policy.policy) {
    case "no":
      return false;
    case "on-failure":
      return (
        (exit.code !== 0 || exit.signal !== null) &&
        (policy.max_retries === undefined || attempt <= policy.max_retries)
      );
    // Both restart any unrequested exit; they differ only for a user stop, which never gets here.
    case "always":
    case "unless-stopped":
      return true;
  }
}

interface State {
  attempts: number;
  restarts: number;
  timer?: NodeJS.Timeout;
  stableTimer?: NodeJS.Timeout;
}

/**
 * Applies restart policies to unrequested exits with exponential backoff. The attempt count
 * resets when the run before the exit lasted `reset_after`.
 */
export class RestartSupervisor {
  readonly #state = new Map<string, State>();
  /** Exits seen while an action owned the service; replayed if the action left it "up". */
  readonly #pending = new Map<string, ExitInfo>();
  #closed = false;

  constructor(private readonly deps: SupervisorDeps) {}

  #of(name: string): State {
    let state = this.#state.get(name);
    if (!state) {
      state = { attempts: 0, restarts: 0 };
      this.#state.set(name, state);
    }
    return state;
  }

  onExit(exit: ExitInfo): void {
    const service = this.deps.service(exit.service);
    const state = this.#of(exit.service);
    clearTimeout(state.stableTimer);
    if (this.#closed || exit.requested || !service || service.kind === "external") return;
    const policy = service.restart;
    if (exit.ranForMs >= policy.reset_after) state.attempts = 0;
    const attempt = state.attempts + 1;
    if (this.deps.isBusy(exit.service)) {
      this.#pending.set(exit.service, exit);
      this.deps.setRuntime(exit.service, { state: "exited", exitCode: exit.code });
      return;
    }
    if (!wantsRestart(policy, exit, attempt)) {
      this.deps.setRuntime(exit.service, { state: "exited", exitCode: exit.code });
      return;
    }
    state.attempts = attempt;
    const delayMs = backoffDelay(policy, attempt);
    const crashLoop = attempt >= CRASH_LOOP_AFTER;
    const reason = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    this.deps.setRuntime(exit.service, { state: crashLoop ? "crash-loop" : "exited", exitCode: exit.code });
    clearTimeout(state.timer);
    const restarted = (why: string) =>
      this.deps.onEvent({
        type: "service.restarted",
        service: exit.service,
        at: new Date(),
        attempt,
        delayMs,
        crashLoop,
        reason: why,
      });
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (this.#closed || this.deps.isBusy(exit.service)) return;
      this.deps
        .restart(exit.service)
        .then(() => {
          state.restarts += 1;
          this.deps.setRuntime(exit.service, {
            restarts: state.restarts,
            ...(crashLoop ? { state: "crash-loop" } : {}),
          });
          restarted(reason);
          // Shown as crash-loop until a run proves stable.
          if (crashLoop) {
            state.stableTimer = setTimeout(
              () => this.deps.setRuntime(exit.service, { state: "running" }),
              policy.reset_after,
            );
            state.stableTimer.unref();
          }
        })
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.deps.setRuntime(exit.service, { state: "exited" });
          restarted(`${reason}; restart failed: ${message}`);
        });
    }, delayMs);
    state.timer.unref();
  }

  /**
   * An action released the service. If it died while the action ran and the action still
   * considered it up (a service without checks exits right after starting), the policy applies now;
   * after a failed or rolled-back start it does not.
   */
  released(name: string, actionLeftItUp: boolean): void {
    const exit = this.#pending.get(name);
    this.#pending.delete(name);
    if (exit && actionLeftItUp) this.onExit(exit);
  }

  /** A user action took over: drop any pending restart and start counting afresh. */
  cancel(name: string): void {
    this.#pending.delete(name);
    const state = this.#state.get(name);
    if (!state) return;
    clearTimeout(state.timer);
    clearTimeout(state.stableTimer);
    state.timer = undefined;
    state.attempts = 0;
  }

  restarts(name: string): number {
    return this.#state.get(name)?.restarts ?? 0;
  }

  close(): void {
    this.#closed = true;
    for (const state of this.#state.values()) {
      clearTimeout(state.timer);
      clearTimeout(state.stableTimer);
    }
  }
}
