import type { RestartPolicySpec, ServiceConfig } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import type { ExitInfo } from "../runners/types.ts";
import { exitText } from "../status/exit-text.ts";
import type { SupervisionStore } from "./supervision-store.ts";
import type { Runtime } from "./types.ts";

/** The runtime fields that say how a run ended. */
export function exitFacts(exit: ExitInfo): {
  exitCode: number | null;
  exitSignal: string | null;
  exitUnknown: boolean;
  exitReason?: string;
} {
  return {
    exitCode: exit.code,
    exitSignal: exit.signal,
    exitUnknown: exit.unknown === true,
    ...(exit.reason === undefined ? {} : { exitReason: exit.reason }),
  };
}

/** How often, and how many times, a policy restart another instance may own is asked for (cluster). */
const AUTHORIZE_EVERY_MS = 3000;
const AUTHORIZE_ASKS = 6;

/** Consecutive quick restarts from which a service shows as "crash-loop". */
export const CRASH_LOOP_AFTER = 3;

export interface SupervisorDeps {
  service: (name: string) => ServiceConfig | undefined;
  /** Starts the service again (no action: the policy is not a user request). */
  restart: (name: string) => Promise<void>;
  /** True while an action owns the service: the action decides, not the policy. */
  isBusy: (name: string) => boolean;
  /**
   * True while a restart must not happen: a maintenance window with `pause_restarts` covers the
   * service, or its Docker host does not answer. Asked at the exit and again when the backoff ends.
   */
  restartsHeld?: (name: string) => boolean;
  onEvent: (event: EngineEvent) => void;
  setRuntime: (name: string, runtime: Runtime) => void;
  /** Where attempts and restart counts survive a Vigil restart (the state directory). */
  store?: SupervisionStore;
  /**
   * Whether this instance may restart for this exit (cluster: only the leader, once per exit).
   * False leaves the service as the exit left it here: another instance acts.
   */
  authorize?: (service: string, exit: ExitInfo, attempt: number) => Promise<boolean>;
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

  constructor(private readonly deps: SupervisorDeps) {
    for (const [name, saved] of deps.store?.load() ?? []) this.#state.set(name, { ...saved });
  }

  #persist(name: string, state: State): void {
    this.deps.store?.save(name, state);
  }

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
    if (exit.ranForMs >= policy.reset_after && state.attempts > 0) {
      state.attempts = 0;
      this.#persist(exit.service, state);
    }
    const attempt = state.attempts + 1;
    if (this.deps.isBusy(exit.service)) {
      this.#pending.set(exit.service, exit);
      this.deps.setRuntime(exit.service, { state: "exited", ...exitFacts(exit) });
      return;
    }
    if (exit.engineRestarts) {
      // Docker restarts the container itself: count it, never start a second copy.
      state.attempts = attempt;
      state.restarts += 1;
      const crashLoop = attempt >= CRASH_LOOP_AFTER;
      this.deps.setRuntime(exit.service, {
        state: crashLoop ? "crash-loop" : "starting",
        ...exitFacts(exit),
        restarts: state.restarts,
      });
      this.deps.onEvent({
        type: "service.restarted",
        service: exit.service,
        at: new Date(),
        attempt,
        delayMs: 0,
        crashLoop,
        reason: `exited with code ${exit.code}; restarted by Docker (the container's restart policy)`,
      });
      return;
    }
    if (!wantsRestart(policy, exit, attempt) || this.deps.restartsHeld?.(exit.service)) {
      this.deps.setRuntime(exit.service, { state: "exited", ...exitFacts(exit) });
      return;
    }
    state.attempts = attempt;
    this.#persist(exit.service, state);
    const delayMs = backoffDelay(policy, attempt);
    const crashLoop = attempt >= CRASH_LOOP_AFTER;
    const reason = exitText(exitFacts(exit));
    this.deps.setRuntime(exit.service, { state: crashLoop ? "crash-loop" : "exited", ...exitFacts(exit) });
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
    const restartNow = () => {
      // Held since the exit (a maintenance window opened, the Docker host stopped answering).
      if (this.deps.restartsHeld?.(exit.service)) return;
      this.deps
        .restart(exit.service)
        .then(() => {
          state.restarts += 1;
          this.#persist(exit.service, state);
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
    };
    const authorize = this.deps.authorize;
    let asked = 0;
    // Cluster only: ask first; not ours (yet) = ask again a few times, so a follower that becomes
    // leader while the old one died mid-backoff still restarts. The claim is once per exit.
    const askThenRestart = async (ask: NonNullable<typeof authorize>) => {
      state.timer = undefined;
      if (this.#closed || this.deps.isBusy(exit.service)) return;
      if (await ask(exit.service, exit, attempt).catch(() => false)) {
        if (!this.#closed && !this.deps.isBusy(exit.service)) restartNow();
        return;
      }
      if (++asked < AUTHORIZE_ASKS && !this.#closed) {
        state.timer = setTimeout(() => void askThenRestart(ask), AUTHORIZE_EVERY_MS);
        state.timer.unref();
      }
    };
    state.timer = setTimeout(() => {
      if (authorize) {
        void askThenRestart(authorize);
        return;
      }
      state.timer = undefined;
      if (this.#closed || this.deps.isBusy(exit.service)) return;
      restartNow();
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
    if (state.attempts > 0) {
      state.attempts = 0;
      this.#persist(name, state);
    }
  }

  /**
   * A service found running at start (adopted) while its persisted attempts say crash loop: show
   * it as such until a run proves stable, as if this Vigil had seen the loop itself.
   */
  resumed(name: string): void {
    const state = this.#state.get(name);
    const service = this.deps.service(name);
    if (!state || !service || state.attempts < CRASH_LOOP_AFTER) return;
    this.deps.setRuntime(name, { state: "crash-loop" });
    clearTimeout(state.stableTimer);
    state.stableTimer = setTimeout(
      () => this.deps.setRuntime(name, { state: "running" }),
      service.restart.reset_after,
    );
    state.stableTimer.unref();
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
