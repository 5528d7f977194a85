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
   * Cluster: asks `node`, which runs `name`, to start it (the web layer forwards a start action
   * there for `requestedBy`); resolves once the node has accepted, rejects with why it could not.
   * Absent: a service of another node is only waited for.
   */
  startElsewhere?: (name: string, node: string, requestedBy: string) => Promise<void>;
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
