import type Docker from "dockerode";
import type { Config } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import type { HealthGate, Runtime } from "../lifecycle/types.ts";
import type { ProbeSharing, RemoteResult } from "../monitor/sharing.ts";
import type { HeartbeatSource } from "../probes/push/heartbeats.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";

/** The part of the monitor the engine drives (src/monitor/monitor.ts implements it). */
export interface EngineMonitor extends HealthGate {
  start(): void;
  stop(): void | Promise<void>;
  update(config: Config): void | Promise<void>;
  snapshot(): ServiceSnapshot[];
  setRuntime(service: string, runtime: Runtime): void;
  setActiveAction(
    service: string,
    action: { id: string; kind: string; requestedBy: string } | undefined,
  ): void;
  /** Cluster mode (src/monitor/sharing.ts); monitors that probe everything need neither. */
  rebalance?(): Promise<void>;
  applyRemoteResult?(result: RemoteResult): void;
}

export type MonitorFactory = (opts: {
  config: Config;
  onEvent: (event: EngineEvent) => void;
  containerFor?: (service: string) => string | undefined;
  dockerFor?: (service: string) => Docker;
  heartbeats?: HeartbeatSource;
  sharing?: ProbeSharing;
}) => EngineMonitor;
