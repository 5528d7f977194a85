// Types for health-server.mjs, so TypeScript tests and tools can use it without allowJs.
import type { Server } from "node:http";

export interface TcpDependency {
  name: string;
  host: string;
  port: number;
}
export interface Stage {
  name: string;
  ms: number;
}
export interface DependencyResult {
  status: "healthy" | "unhealthy";
  latency_ms: number;
  error?: string;
}
export interface HealthServerOptions {
  name?: string;
  version?: string;
  port?: number;
  host?: string;
  stages?: Stage[];
  dependencies?: TcpDependency[];
  optional?: string;
  env?: Record<string, string | undefined>;
}
export interface RunningHealthServer {
  server: Server;
  port: number;
  ready: Promise<void>;
  close(): Promise<void>;
}

export function parseTcpDependencies(text?: string): TcpDependency[];
export function parseStages(text?: string): Stage[];
export function probeTcp(
  target: { host: string; port: number },
  timeoutMs?: number,
): Promise<DependencyResult>;
export function startHealthServer(options?: HealthServerOptions): Promise<RunningHealthServer>;
export function runService(options?: HealthServerOptions): Promise<RunningHealthServer>;
