import type { ClusterMemberRow } from "@vigil/db";
import { describe, expect, it } from "vitest";
import { HttpError } from "../rest/errors.ts";
import { ownerOf, ownerOfAction } from "./owner.ts";

const member = (id: string): ClusterMemberRow => ({
  id,
  nodeName: `node-${id}`,
  url: `http://127.0.0.1:1/${id}`,
  startedAt: new Date(0),
  lastSeen: new Date(0),
});

describe("who runs an action", () => {
  it("is the leader, for one service, several or the whole stack", () => {
    const leader = member("l");
    expect(ownerOf({ leaderMember: leader }, "api")).toBe(leader);
    expect(ownerOfAction({ leaderMember: leader }, ["api", "web"])).toBe(leader);
    expect(ownerOfAction({ leaderMember: leader }, [])).toBe(leader);
  });

  it("is a 503 naming what has no owner while there is no leader", () => {
    const none = () => ownerOfAction({ leaderMember: null }, ["api"]);
    expect(none).toThrow(HttpError);
    expect(none).toThrow(/no live instance owns "api" right now/);
    expect(() => ownerOfAction({ leaderMember: null }, [])).toThrow(/owns the whole stack/);
    try {
      none();
    } catch (err) {
      expect((err as HttpError).status).toBe(503);
    }
  });

  it("is the node a process service names (node:), whoever leads; a 503 naming the node when it is not live", () => {
    const leader = member("l");
    const b = { ...member("b"), nodeName: "node-b" };
    const view = {
      leaderMember: leader,
      members: [leader, b],
      nodeOf: (s: string) => (s === "worker" ? "node-b" : undefined),
    };
    expect(ownerOf(view, "worker")).toBe(b);
    expect(ownerOf(view, "api")).toBe(leader);
    expect(ownerOfAction(view, ["worker"])).toBe(b);
    expect(() => ownerOfAction(view, ["worker", "api"])).toThrow(/worker on node-b; api on node-l/);
    const gone = { ...view, members: [leader] };
    expect(() => ownerOfAction(gone, ["worker"])).toThrow(/runs on node node-b, which is not a live member/);
  });
});
