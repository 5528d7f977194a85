import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ClusterMemberRow } from "@vigil/db";
import { type ForwardingSelf, forwardEndpoint, type LocalOps } from "../forward.ts";
import { PeerAuth } from "../peer-auth.ts";

/* Two members of a cluster on loopback for forwarding tests: an owner serving LocalOps, a sender. */

const servers: Server[] = [];

/** Closes every owner `owner` started. */
export async function closeOwners(): Promise<void> {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
}

export const member = (id: string, url: string): ClusterMemberRow => ({
  id,
  nodeName: `node-${id}`,
  url,
  startedAt: new Date(0),
  lastSeen: new Date(0),
});

/** An owner listening on port 0, running forwarded ops with `ops`; it leads unless `leads` is false. */
export async function owner(key: string, ops: LocalOps, leads = true): Promise<ClusterMemberRow> {
  const self: { id: string; nodeName: string; leaderMember: ClusterMemberRow | null } = {
    id: "owner",
    nodeName: "node-owner",
    leaderMember: null,
  };
  const handle = forwardEndpoint({ self, auth: new PeerAuth(key), run: ops, log: () => {} });
  const http = createServer((req, res) => {
    void handle(req, res).then((done) => {
      if (!done) res.writeHead(404).end();
    });
  });
  servers.push(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const me = member("owner", url);
  self.leaderMember = leads ? me : member("someone-else", "http://127.0.0.1:1");
  return me;
}

/** The sending member's view: `leader` owns everything unpinned. */
export const sender = (leader: ClusterMemberRow | null): ForwardingSelf => ({
  id: "sender",
  nodeName: "node-sender",
  leaderMember: leader,
});
