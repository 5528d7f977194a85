import { createHash } from "node:crypto";

/*
 * Rendezvous (highest random weight) hashing: each key goes to the candidate whose hash of
 * (candidate, key) is highest. Every instance computes the same answer from the same member list
 * with no coordination, and when a member joins or leaves only the keys it wins or held move —
 * about 1/N of them — unlike `hash(key) % N`, which reshuffles almost everything.
 */

/** The weight of `candidate` for `key`: 48 bits of md5, plenty to spread and to avoid ties. */
function weight(candidate: string, key: string): number {
  return createHash("md5").update(candidate).update("\0").update(key).digest().readUIntBE(0, 6);
}

/** The candidate that wins `key`; undefined when there is none. Ties (never seen) go to the smaller name. */
export function rendezvous(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  for (const candidate of candidates) {
    const w = weight(candidate, key);
    if (w > bestWeight || (w === bestWeight && best !== undefined && candidate < best)) {
      best = candidate;
      bestWeight = w;
    }
  }
  return best;
}

export interface Member {
  id: string;
  nodeName: string;
}

/**
 * The live member that probes `service`: the node it is pinned to (`node:` on process services),
 * else the rendezvous winner among node names. Hashing names rather than ids keeps a service with
 * the same node across that node's restarts. Two live instances with one name (a misconfiguration)
 * count as one: the first by id takes the name's share, so nothing is probed twice.
 * Undefined when the pinned node is not live — nobody else can run what lives on that machine.
 */
export function ownerOf(
  service: string,
  members: readonly Member[],
  pinned: string | undefined,
): Member | undefined {
  const byName = new Map<string, Member>();
  for (const m of [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    if (!byName.has(m.nodeName)) byName.set(m.nodeName, m);
  const name = pinned ?? rendezvous(service, [...byName.keys()]);
  return name === undefined ? undefined : byName.get(name);
}
