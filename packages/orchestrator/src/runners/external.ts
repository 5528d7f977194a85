import type { ServiceKind } from "../config/schema.ts";
import { revisionOf } from "./revision.ts";
import { type Runner, RunnerRefusal } from "./types.ts";

/** A runner for services Vigil does not keep running: every start/stop/restart is refused with `why`. */
export function createRefusingRunner(kind: ServiceKind, why: (name: string) => string): Runner {
  const refuse = (name: string): never => {
    throw new RunnerRefusal(why(name));
  };
  return {
    kind,
    start: async (name) => refuse(name),
    stop: async (name) => refuse(name),
    restart: async (name) => refuse(name),
    status: async () => ({ state: "external" }),
    logs: () => [],
    revision: (_name, service) => revisionOf(service),
    attach: async () => ({ state: "external" }),
    close: async () => {},
  };
}

/** External services are only probed; any attempt to run them is refused with a clear message. */
export function createExternalRunner(): Runner {
  return createRefusingRunner(
    "external",
    (name) => `service "${name}" is external: Vigil only probes it and cannot start or stop it`,
  );
}
