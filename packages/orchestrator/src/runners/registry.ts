import type { ServiceConfig, ServiceKind } from "../config/schema.ts";
import { createDockerRunner } from "./docker.ts";
import { createExternalRunner } from "./external.ts";
import { createJobRunner } from "./job.ts";
import { createProcessRunner } from "./process.ts";
import type { Runner, RunnerContext } from "./types.ts";

const FACTORIES: Record<ServiceKind, (ctx: RunnerContext) => Runner> = {
  process: createProcessRunner,
  docker: createDockerRunner,
  external: createExternalRunner,
  job: createJobRunner,
};

export interface RunnerRegistry {
  runnerFor(service: ServiceConfig): Runner;
  close(): Promise<void>;
}

/** kind → runner, each made on first use (no Docker connection for a stack without containers). */
export function createRunnerRegistry(ctx: RunnerContext): RunnerRegistry {
  const made = new Map<ServiceKind, Runner>();
  return {
    runnerFor(service) {
      let runner = made.get(service.kind);
      if (!runner) {
        runner = FACTORIES[service.kind](ctx);
        made.set(service.kind, runner);
      }
      return runner;
    },
    async close() {
      await Promise.allSettled([...made.values()].map((r) => r.close()));
    },
  };
}
