import type { Config } from "./schema.ts";
import type { SchemaProblem } from "./zod-issues.ts";

/**
 * In cluster mode a process service without `node:` would run on whichever instance leads, and
 * after a failover nothing could safely start it elsewhere: the old one may still be running on
 * the old leader's machine. So a cluster refuses to guess; the config names the node.
 */
export function unplacedProcesses(config: Config): SchemaProblem[] {
  return Object.entries(config.services).flatMap(([name, service]) =>
    service.kind === "process" && service.node === undefined
      ? [
          {
            path: ["services", name],
            atKey: true,
            message:
              "in cluster mode (VIGIL_CLUSTER=1) a process service needs `node:`, the VIGIL_NODE_NAME of the instance that runs it",
          },
        ]
      : [],
  );
}
