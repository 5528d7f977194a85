import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "@vigil/db";
import type { Server } from "socket.io";
import type { OwnerRouting } from "../rest/deps.ts";
import { type AttachedAdapter, attachClusterAdapter } from "./adapter.ts";
import { type ForwardingSelf, forwardEndpoint, type LocalOps, ownerRouting } from "./forward.ts";
import { PeerAuth } from "./peer-auth.ts";

/** What the HTTP server needs to be one of several instances (createVigilServer's `cluster`). */
export interface ClusterSeam {
  /** Before any socket connects: broadcasts reach every instance's browsers. */
  attach(io: Server): AttachedAdapter;
  /** Actions and job runs clicked here that another member owns go there. */
  routing: OwnerRouting;
  /** The signed endpoint other members forward to; `run` runs each op on this engine. */
  endpoint(run: LocalOps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

/** Names this cluster in shared places (Redis): a digest of its key, never the key itself. */
export function clusterIdOf(key: string): string {
  return createHash("sha256").update(`vigil cluster id\n${key}`).digest("hex").slice(0, 16);
}

export function clusterSeam(opts: {
  self: ForwardingSelf;
  pool: Db["pool"];
  redisUrl: string | undefined;
  /** The cluster key every member derives alike (VIGIL_SECRET or auth_secrets). */
  key: string;
  log: (line: string) => void;
}): ClusterSeam {
  const auth = new PeerAuth(opts.key);
  const clusterId = clusterIdOf(opts.key);
  return {
    attach: (io) =>
      attachClusterAdapter(io, { pool: opts.pool, redisUrl: opts.redisUrl, clusterId, log: opts.log }),
    routing: ownerRouting({ self: opts.self, auth }),
    endpoint: (run) => forwardEndpoint({ self: opts.self, auth, run, log: opts.log }),
  };
}
