import type {
  ActionKind,
  ActionPlan,
  Authority,
  Config,
  EngineEvent,
  HeartbeatSource,
  HeartbeatStore,
  JobRunStore,
  NodeRequest,
  Ping,
  ProbeSharing,
  RemoteResult,
  ServiceSnapshot,
} from "@vigil/orchestrator";
import type {
  EventView,
  HistoryPoint,
  Incident,
  Resolution,
  StoreHealth,
  ValueSeriesView,
} from "../lib/contract.ts";

type ValuePoint = ValueSeriesView["points"][number];

/*
 * The small surfaces the web server needs from the engine and the history store. The composition
 * root adapts the real `@vigil/orchestrator` engine and `@vigil/db` store to these, so the socket
 * hub, REST handlers and metrics depend on what they use, not on everything those packages export.
 */

export interface ActionHandle {
  actionId: string;
  deduplicated: boolean;
  plan: Pick<ActionPlan, "waves">;
  /** Settles when the action ends; never rejects (failures arrive as events). */
  done: Promise<unknown>;
}

/**
 * Has another node run `request` on services it runs, settling when that node's action has
 * finished: resolves when it succeeded, rejects with why not (the engine's LifecycleDeps.actOn).
 */
export type NodeActOn = (
  node: string,
  request: NodeRequest,
  opts: { timeoutMs: number; signal?: AbortSignal },
) => Promise<void>;

export interface ActionOptions {
  withDependents?: boolean;
  requestedBy: string;
  /** On exactly the targets: another instance's plan asks, and orders the rest itself. */
  alone?: boolean;
}

export interface GraphPort {
  waves(): string[][];
  edges(): { from: string; to: string; condition: "started" | "healthy" | "completed" }[];
  dependents(name: string, opts?: { transitive?: boolean }): string[];
}

export interface EnginePort {
  /** Settles once services already running (from a previous Vigil) are adopted. */
  ready?: Promise<void>;
  run(kind: ActionKind, targets: string[], opts: ActionOptions): ActionHandle;
  cancel(actionId: string): boolean;
  snapshot(): ServiceSnapshot[];
  graph(): GraphPort;
  reload(config: Config): Promise<void>;
  /** Stops watching; leaves services running unless `stopServices`. */
  close(opts: { stopServices: boolean; timeoutMs: number }): Promise<void>;
  /** `kind: job` services: "Run now" and the next scheduled run (absent in engines without jobs). */
  jobs?: {
    runNow(name: string, by: string): { runId: string; done: Promise<unknown> };
    nextRun(name: string): Date | null;
  };
  /** Cluster mode: the membership changed, so which checks run here may have. */
  rebalance?(): Promise<void>;
  /** Cluster mode: a result another instance probed. */
  applyRemoteResult?(result: RemoteResult): void;
}

export type EngineFactory = (opts: {
  config: Config;
  stateDir: string;
  onEvent: (event: EngineEvent) => void;
  /** Pings of push checks: the push route writes them, the engine's push probes read them. */
  heartbeats?: HeartbeatSource;
  /** Where job runs are recorded; catch-up reads the last start of each job from it. */
  jobRuns?: JobRunStore;
  /** Cluster mode: restart-policy restarts and scheduled jobs only where the leader claims them. */
  authority?: Authority;
  /** Cluster mode: only the checks of the services this instance owns are probed here. */
  sharing?: ProbeSharing;
  /** Cluster mode: this instance's node name; process services with another `node:` are only probed. */
  localNode?: string;
  /** Cluster mode: has the node that runs a process service act on it (cluster/act-on.ts). */
  actOn?: NodeActOn;
}) => EnginePort;

/** Cluster mode: the probing shared among instances (server/cluster/probing.ts implements it). */
export interface SharedProbingPort extends ProbeSharing {
  /** Starts applying the others' results to `engine` and their relayed pings to `heartbeats`. */
  attach(target: { engine: EnginePort; heartbeats: HeartbeatStore }): Promise<void>;
  /** Every engine event (redacted): own results go to the others. */
  observe(event: EngineEvent): void;
  /** A push ping received here goes to the others. */
  relayPing(service: string, check: string, ping: Omit<Ping, "at">): void;
}

/** One probe result as the store records it. */
export interface ResultRecord {
  service: string;
  check: string;
  at: Date;
  status: "healthy" | "degraded" | "unhealthy";
  latencyMs: number;
  message: string;
  /** Values the run measured besides latency, by name. */
  values?: Record<string, number>;
}

export interface EventRecord {
  at: Date;
  service: string | null;
  type: "status" | "action" | "restart";
  from: string | null;
  to: string | null;
  message: string;
  actionId: string | null;
}

export interface ActionRecord {
  id: string;
  kind: ActionKind;
  targets: string[];
  waves: string[][];
  requestedBy: string;
  startedAt: Date;
}

export interface ActionUpdate {
  finishedAt: Date;
  result: "succeeded" | "failed" | "cancelled";
  message: string;
  steps: unknown;
}

export interface StoredAction extends ActionRecord {
  finishedAt: Date | null;
  result: "running" | "succeeded" | "failed" | "cancelled";
  message: string | null;
  steps: unknown;
}

export interface StorePort {
  recordResult(result: ResultRecord): void;
  /** One resource sample, values by stored name (cpu_percent, memory_bytes...). */
  recordResources(sample: { service: string; at: Date; values: Record<string, number> }): void;
  recordEvent(event: EventRecord): void;
  recordAction(action: ActionRecord): void;
  updateAction(id: string, update: ActionUpdate): void;
  flush(timeoutMs: number): Promise<void>;
  health(): StoreHealth;
  /** Points at the given resolution ("auto" lets the store pick) and the uptime over the range. */
  history(q: {
    service: string;
    check: string | null;
    from: Date;
    to: Date;
    resolution: Resolution | "auto";
    cursor?: string | undefined;
    limit?: number | undefined;
    /** Ranges the uptime leaves out (maintenance); the points still cover the whole range. */
    exclude?: readonly { from: Date; to: Date }[] | undefined;
  }): Promise<{ resolution: Resolution; points: HistoryPoint[]; uptime: number | null; next: string | null }>;
  /** Check values over the range, one series per (check, value name); units are added by the caller. */
  values(q: {
    service: string;
    check: string | null;
    from: Date;
    to: Date;
    resolution: Resolution | "auto";
  }): Promise<{ check: string; name: string; points: ValuePoint[] }[]>;
  /** Recent latencies per service, oldest first; null = failed run. */
  sparklines(q: { services: string[]; points: number }): Promise<Map<string, (number | null)[]>>;
  /** Results and failed ones per service in the rollup buckets starting in [from, to). */
  uptimeCounts(q: {
    services: string[];
    from: Date;
    to: Date;
  }): Promise<Map<string, { total: number; failed: number }>>;
  events(q: {
    service?: string;
    type?: EventRecord["type"];
    from?: Date;
    to?: Date;
    limit: number;
  }): Promise<EventView[]>;
  incidents(q: { service?: string; from: Date; to: Date }): Promise<Incident[]>;
  actions(q: { limit: number }): Promise<StoredAction[]>;
  action(id: string): Promise<StoredAction | null>;
  close(timeoutMs: number): Promise<void>;
}
