import type { ServiceConfig } from "../config/schema.ts";

/*
 * Process services belong to a node (issue 16): in cluster mode only the instance named by a
 * process service's `node:` starts, stops, supervises and adopts it. The engine is told its own
 * name (`localNode`, the web server's VIGIL_NODE_NAME) and nothing else about the cluster.
 */

/**
 * The node that runs `service` when it is not this one; undefined when this engine runs it:
 * a single instance (`localNode` undefined) runs everything, `node:` or not, and a service
 * without `node:` is run as before.
 */
export function ownerElsewhere(service: ServiceConfig, localNode: string | undefined): string | undefined {
  if (localNode === undefined || service.kind !== "process" || service.node === undefined) return undefined;
  return service.node === localNode ? undefined : service.node;
}
