import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servicePid } from "../control/testing/processes.ts";
import { finishedAction } from "./testing/members.ts";
import { nodeCluster, nodeServiceYaml } from "./testing/node-cluster.ts";

/*
 * A stack-wide start clicked on the leader (instance "a") reaches a process service whose `node:`
 * names instance "b": "a" asks "b" to start it (a forwarded start for the same user) and waits for
 * it to be healthy. Two real server.ts instances on a throwaway database on the real Postgres; the
 * service is a real HTTP process, found afterwards in b's state directory only.
 */

const PORT = 41_640;
const cluster = nodeCluster("node-start", ["worker"]);

beforeAll(
  () => cluster.up(`project: nodestart\nservices:\n${nodeServiceYaml("worker", "b", PORT)}`),
  480_000,
);
afterAll(() => cluster.down(), 60_000);

describe("a stack-wide start in a cluster", () => {
  it("starts a process service on the node it names, for the user who clicked, and waits for it", async () => {
    const { onA } = await cluster.members();
    const posted = await onA.post("/api/actions", { kind: "start", targets: [], withDependents: false });
    expect(posted.status, posted.text).toBe(202);
    const { actionId } = posted.body as { actionId: string };
    const action = await finishedAction(onA, actionId);
    expect(action.result, JSON.stringify(action.steps)).toBe("succeeded");
    expect(action.steps?.filter((s) => s.service === "worker").map((s) => s.state)).toEqual(
      expect.arrayContaining(["starting", "healthy"]),
    );
    // It runs where its node: says, started by b for the user; a never spawned it.
    expect(servicePid(join(cluster.dir, "b"), "worker")).toBeGreaterThan(0);
    expect(servicePid(join(cluster.dir, "a"), "worker")).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${PORT}/health`)).status).toBe(200);
    const { rows } = await cluster
      .db()
      .pool.query<{ requested_by: string }>(
        "SELECT requested_by FROM actions WHERE kind = 'start' AND targets = ARRAY['worker']",
      );
    expect(rows.map((r) => r.requested_by)).toContain(cluster.user);
  }, 180_000);
});
