import { Gauge, type Registry } from "prom-client";

/**
 * The cluster as this instance sees it, read at scrape time: how many live members it counts (its
 * share of the checks follows from that) and whether it leads. Two instances disagreeing on
 * `vigil_cluster_members` for longer than a heartbeat means one of them cannot reach Postgres.
 */
export function registerClusterMetrics(
  registry: Registry,
  node: { readonly members: readonly unknown[]; readonly leader: boolean },
): void {
  new Gauge({
    name: "vigil_cluster_members",
    help: "Live cluster members this instance saw at its last heartbeat (itself included)",
    registers: [registry],
    collect() {
      this.set(node.members.length);
    },
  });
  new Gauge({
    name: "vigil_cluster_leader",
    help: "1 while this instance holds the leader lease",
    registers: [registry],
    collect() {
      this.set(node.leader ? 1 : 0);
    },
  });
}
