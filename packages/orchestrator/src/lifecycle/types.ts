import type { ServiceConfig } from "../config/schema.ts";
import type { ActionKind, ActionPlan, ActionResult, EngineEvent, StepState } from "../events.ts";
import type { DependencyGraph } from "../graph/graph.ts";
import type { Runner } from "../runners/types.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";
import type { ExitWatch } from "./exit-watch.ts";
import type { RevisionStore } from "./revisions.ts";

/** Waits for a service's checks to pass; the monitor implements it. */
export interface HealthGate {
  waitHealthy(
    service: string,
    opts: { signal: AbortSignal; timeoutMs: number; onStage?: (stage: string) => void },
  ): Promise<{ ok: true } | { ok: false; message: string }>;
}

export type Runtime = Partial<ServiceSnapshot["runtime"]>;

/**
 * An action another cluster node runs on exactly `targets` (all of them its own), without the
 * dependencies or dependents a plan would add: the asking plan has already put those in order.
 */
export interface NodeRequest {
  kind: ActionKind;
  targets: string[];
  requestedBy: string;
}

/** What the lifecycle needs from the engine around it. */
export interface LifecycleDeps {
  graph: () => DependencyGraph;
  /** The config actually wanted for a service (vigil.yaml, or a rolled-back revision). */
  service: (name: string) => ServiceConfig;
  /** Pins a service to a recorded revision after a rollback (undefined: back to vigil.yaml). */
  setOverride: (name: string, service: ServiceConfig | undefined) => void;
  runnerFor: (service: ServiceConfig) => Runner;
  health: HealthGate;
  exits: ExitWatch;
  revisions: RevisionStore;
  onEvent: (event: EngineEvent) => void;
  setRuntime: (name: string, runtime: Runtime) => void;
  setActiveAction: (
    name: string,
    action: { id: string; kind: string; requestedBy: string } | undefined,
  ) => void;
  /** A user stop or an action took over: the restart policy must not fire for this exit. */
  cancelPolicy: (name: string) => void;
  /**
   * The node that runs `name` when another instance does (cluster, `node:`): here it is only
   * waited for, like an external service, never started, stopped or rolled back.
   */
  elsewhere?: (name: string) => string | undefined;
  /**
   * Cluster: asks `node` to run `request` on services it runs (the web layer forwards that action
   * there for `request.requestedBy`) and settles when the node reports the action finished:
   * resolves when it succeeded, rejects with why not (the node's message, or why it could not be
   * asked or did not answer within `timeoutMs`). Aborting `signal` cancels the node's action.
   * Absent: another node's service is only waited for on a start and skipped on a stop.
   */
  actOn?: (
    node: string,
    request: NodeRequest,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ) => Promise<void>;
}

export interface StepRecord {
  service: string;
  wave: number;
  state: StepState;
  at: Date;
  /** Since the action began, ms. */
  elapsedMs: number;
  message?: string;
  stage?: string;
}

/** The newer revision's failure, kept when a rollback replaces it. */
export interface FailureReport {
  service: string;
  revision: string;
  message: string;
  at: Date;
}

export interface ActionOutcome {
  actionId: string;
  kind: ActionKind;
  result: ActionResult;
  message: string;
  durationMs: number;
  /** Final step state of every service in the plan. */
  services: Record<string, StepState>;
  /** Set when a rollback (manual or `rollback: auto`) happened in this action. */
  rollback?: { service: string; from: string; to: string; automatic: boolean; healthy: boolean };
  failureReport?: FailureReport;
}

export interface ActionRecord {
  id: string;
  kind: ActionKind;
  plan: ActionPlan;
  startedAt: Date;
  finishedAt?: Date;
  steps: StepRecord[];
  outcome?: ActionOutcome;
}

export interface ActionHandle {
  actionId: string;
  /** True when another action already held one of the services: this is that action. */
  deduplicated: boolean;
  plan: ActionPlan;
  done: Promise<ActionOutcome>;
}
