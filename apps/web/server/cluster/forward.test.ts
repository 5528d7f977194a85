import { afterEach, describe, expect, it } from "vitest";
import { HttpError } from "../rest/errors.ts";
import { type ForwardingSelf, type LocalOps, ownerRouting } from "./forward.ts";
import { PeerAuth } from "./peer-auth.ts";
import { closeOwners, member, owner, sender } from "./testing/peers.ts";

/*
 * The forwarding protocol over real HTTP on loopback: a sender's routing and an owner's endpoint,
 * the owner's engine replaced by a recording LocalOps (the whole path with real engines and real
 * instances is any-instance.integration.test.ts).
 */

afterEach(closeOwners);

function recording(): LocalOps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    action: (request, by) => {
      calls.push(`${request.kind} ${request.targets.join()} by ${by}`);
      if (request.targets.includes("busy")) throw new HttpError("conflict", "busy is being stopped");
      return { actionId: "a1", deduplicated: false, plan: { waves: [request.targets] } };
    },
    jobRun: (job, by) => {
      calls.push(`run ${job} by ${by}`);
      return { job, runId: "r1" };
    },
    cancel: (actionId) => {
      calls.push(`cancel ${actionId}`);
      return { actionId, cancelled: true };
    },
    state: (actionId) => ({ actionId, result: "running", message: null }),
  };
}

describe("forwarding to the owner", () => {
  it("runs the action, a job run and a cancel on the owner for the acting user", async () => {
    const ops = recording();
    const leader = await owner("k", ops);
    const routing = ownerRouting({ self: sender(leader), auth: new PeerAuth("k") });
    const request = { kind: "restart" as const, targets: ["api"], withDependents: false };
    expect(await routing.action(request, "alice")).toEqual({
      actionId: "a1",
      deduplicated: false,
      plan: { waves: [["api"]] },
    });
    expect(await routing.jobRun("nightly", "bob")).toEqual({ job: "nightly", runId: "r1" });
    expect(await routing.cancel("a1", ["api"], "alice")).toEqual({ actionId: "a1", cancelled: true });
    expect(ops.calls).toEqual(["restart api by alice", "run nightly by bob", "cancel a1"]);
  });

  it("runs here (undefined) when this instance owns it", async () => {
    const self: ForwardingSelf = {
      id: "me",
      nodeName: "me",
      leaderMember: member("me", "http://127.0.0.1:1"),
    };
    const routing = ownerRouting({ self, auth: new PeerAuth("k") });
    expect(await routing.jobRun("nightly", "bob")).toBeUndefined();
  });

  it("passes the owner's own refusal through, and an owner that no longer leads refuses", async () => {
    const leader = await owner("k", recording());
    const routing = ownerRouting({ self: sender(leader), auth: new PeerAuth("k") });
    const busy = { kind: "stop" as const, targets: ["busy"], withDependents: false };
    await expect(routing.action(busy, "alice")).rejects.toMatchObject({
      status: 409,
      message: "busy is being stopped",
    });
    const ops = recording();
    const deposed = await owner("k", ops, false);
    const stale = ownerRouting({ self: sender(deposed), auth: new PeerAuth("k") });
    await expect(stale.jobRun("nightly", "bob")).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/no longer runs this \(node node-someone-else does now\)/),
    });
    expect(ops.calls).toEqual([]);
  });

  it("an owner with another key refuses (503 with a hint); a gone owner is a 503, not a hang", async () => {
    const ops = recording();
    const leader = await owner("k", ops);
    const wrongKey = ownerRouting({ self: sender(leader), auth: new PeerAuth("other") });
    await expect(wrongKey.jobRun("nightly", "bob")).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/refused it: HTTP 401 .*same VIGIL_SECRET/),
    });
    expect(ops.calls).toEqual([]);
    // Nothing listens on port 1: the connection is refused at once.
    const gone = ownerRouting({
      self: sender(member("dead", "http://127.0.0.1:1")),
      auth: new PeerAuth("k"),
    });
    await expect(gone.jobRun("nightly", "bob")).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/node node-dead at http:\/\/127\.0\.0\.1:1\) did not answer/),
    });
    const none = ownerRouting({ self: sender(null), auth: new PeerAuth("k") });
    await expect(none.jobRun("nightly", "bob")).rejects.toMatchObject({ status: 503 });
  });
});
