import type { ActionKind, ActionPlan, Config, EngineEvent, ServiceSnapshot } from "@vigil/orchestrator";
import type { EventView, HistoryPoint, Incident, Resolution, StoreHealth } from "../lib/contract.ts";

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

export interface ActionOptions {
  withDependents?: boolean;
  requestedBy: string;
}

export interface GraphPort {
  waves(): string[][];
  edges(): { from: string; to: string; condition: "started" | "healthy" }[];
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
}

export type EngineFactory = (opts: {
  config: Config;
  stateDir: string;
  onEvent: (event: EngineEvent) => void;
}) => EnginePort;

/** One probe result as the store records it. */
export interface ResultRecord {
  service: string;
  check: string;
  at: Date;
  status: "healthy" | "degraded" | "unhealthy";
  latencyMs: number;
  message: string;
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
  }): Promise<{ resolution: Resolution; points: HistoryPoint[]; uptime: number | null }>;
  /** Recent latencies per service, oldest first; null = failed run. */
  sparklines(q: { services: string[]; points: number }): Promise<Map<string, (number | null)[]>>;
  /** Share of healthy/degraded results per service over [from, to]. */
  uptimes(q: { services: string[]; from: Date; to: Date }): Promise<Map<string, number | null>>;
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
