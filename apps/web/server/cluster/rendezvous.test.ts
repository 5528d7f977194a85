import { describe, expect, it } from "vitest";
import { ownerOf, rendezvous } from "./rendezvous.ts";

const keys = Array.from({ length: 3000 }, (_, i) => `svc${i}`);
const assign = (nodes: string[]) => new Map(keys.map((k) => [k, rendezvous(k, nodes)]));
const moved = (a: Map<string, string | undefined>, b: Map<string, string | undefined>) =>
  keys.filter((k) => a.get(k) !== b.get(k));

describe("rendezvous hashing", () => {
  it("gives every key the same owner whatever the order of the candidates", () => {
    const one = assign(["a", "b", "c"]);
    expect(assign(["c", "a", "b"])).toEqual(one);
    expect(rendezvous("x", [])).toBeUndefined();
  });

  it("spreads keys evenly: each of three nodes gets a third, within a few percent", () => {
    const counts = new Map<string, number>();
    for (const owner of assign(["a", "b", "c"]).values())
      counts.set(owner ?? "", (counts.get(owner ?? "") ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(["a", "b", "c"]);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(100);
  });

  it("moves only the leaver's keys when a node leaves, to the survivors", () => {
    const before = assign(["a", "b", "c"]);
    const after = assign(["a", "c"]);
    const changed = moved(before, after);
    expect(changed.every((k) => before.get(k) === "b")).toBe(true);
    expect(changed.length).toBe(keys.filter((k) => before.get(k) === "b").length);
  });

  it("moves about 1/N of the keys to a node that joins, and only to it", () => {
    const before = assign(["a", "b", "c"]);
    const after = assign(["a", "b", "c", "d"]);
    const changed = moved(before, after);
    expect(changed.every((k) => after.get(k) === "d")).toBe(true);
    expect(Math.abs(changed.length - keys.length / 4)).toBeLessThan(100);
  });
});

describe("owner of a service", () => {
  const members = [
    { id: "2", nodeName: "beta" },
    { id: "1", nodeName: "alpha" },
    { id: "3", nodeName: "alpha" },
  ];

  it("is the pinned node when it is live, and nobody when it is not", () => {
    expect(ownerOf("api", members, "beta")?.id).toBe("2");
    expect(ownerOf("api", members, "gamma")).toBeUndefined();
  });

  it("counts two instances with one node name once (the first by id), so nothing runs twice", () => {
    const owners = new Set(keys.slice(0, 200).map((k) => ownerOf(k, members, undefined)?.id));
    expect([...owners].sort()).toEqual(["1", "2"]);
  });
});
