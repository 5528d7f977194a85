import type { ClusterMemberRow } from "@vigil/db";
import { HttpError } from "../rest/errors.ts";

/** What ownership needs of the cluster: the live members, who leads, and where services are pinned. */
export interface ClusterView {
  readonly leaderMember: ClusterMemberRow | null;
  /** Live members as of the last heartbeat (a pinned service's node is looked up here). */
  readonly members?: readonly ClusterMemberRow[];
  /** The node a service is pinned to (a process service's `node:`), if any. */
  nodeOf?(service: string): string | undefined;
}

/**
 * The member that runs actions on `service`: the node a process service names (`node:`), the only
 * instance that starts and supervises it; the leader for everything else. Null when that member
 * is not live.
 */
export function ownerOf(cluster: ClusterView, service: string): ClusterMemberRow | null {
  const node = cluster.nodeOf?.(service);
  if (node === undefined) return cluster.leaderMember;
  return cluster.members?.find((m) => m.nodeName === node) ?? null;
}

/**
 * The one member an action on `targets` runs on (the whole stack, `[]`, belongs to the leader).
 * No owner alive, or targets split over several owners, is an error the user can act on.
 */
export function ownerOfAction(cluster: ClusterView, targets: readonly string[]): ClusterMemberRow {
  const owners = new Map<string, { member: ClusterMemberRow; services: string[] }>();
  for (const service of targets.length === 0 ? [""] : targets) {
    const member = service === "" ? cluster.leaderMember : ownerOf(cluster, service);
    const what = service === "" ? "the whole stack" : `"${service}"`;
    if (!member) {
      const node = service === "" ? undefined : cluster.nodeOf?.(service);
      throw new HttpError(
        "unavailable",
        node === undefined
          ? `no live instance owns ${what} right now (no leader: one is elected within 10 s); try again shortly`
          : `no live instance owns ${what} right now: it runs on node ${node}, which is not a live member`,
      );
    }
    const entry = owners.get(member.id) ?? { member, services: [] };
    entry.services.push(service);
    owners.set(member.id, entry);
  }
  const [first, ...more] = [...owners.values()];
  if (!first) throw new Error("unreachable: at least one target was looked at");
  if (more.length > 0)
    throw new HttpError(
      "conflict",
      `the targets belong to different nodes (${[first, ...more]
        .map((o) => `${o.services.join(", ")} on ${o.member.nodeName}`)
        .join("; ")}): act on each node's services separately`,
    );
  return first.member;
}
