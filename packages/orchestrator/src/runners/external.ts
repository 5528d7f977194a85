import { revisionOf } from "./revision.ts";
import { type Runner, RunnerRefusal } from "./types.ts";

const refuse = (name: string): never => {
  throw new RunnerRefusal(`service "${name}" is external: Vigil only probes it and cannot start or stop it`);
};

/** External services are only probed; any attempt to run them is refused with a clear message. */
export function createExternalRunner(): Runner {
  return {
    kind: "external",
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
