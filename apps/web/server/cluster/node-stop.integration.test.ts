import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "../auth/testing/client.ts";
import { servicePid } from "../control/testing/processes.ts";
import { type FinishedAction, finishedAction } from "./testing/members.ts";
import { nodeCluster, nodeServiceYaml } from "./testing/node-cluster.ts";

/*
 * A stop, a restart and a stop with a node gone, clicked in a two-instance cluster where `api`
 * runs on node "a" (the leader) and `worker`, which needs api, on node "b". The leader's plans
 * reach worker on b in dependency order and wait for b to say it is done. Two real server.ts
 * instances on a throwaway database on the real Postgres; both services are real HTTP processes.
 */

const API_PORT = 43_120;
const WORKER_PORT = 43_121;
const cluster = nodeCluster("node-stop", ["api", "worker"]);

beforeAll(
  () =>
    cluster.up(
      `project: nodestop\nservices:\n${nodeServiceYaml("api", "a", API_PORT)}${nodeServiceYaml(
        "worker",
        "b",
        WORKER_PORT,
        "    depends_on: { api: { condition: healthy } }\n",
      )}`,
    ),
  480_000,
);
afterAll(() => cluster.down(), 60_000);

const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );
const stepsOf = (action: FinishedAction, service: string) =>
  (action.steps ?? []).filter((s) => s.service === service).map((s) => `${s.state}: ${s.message ?? ""}`);
const indexOf = (action: FinishedAction, service: string, state: string) =>
  (action.steps ?? []).findIndex((s) => s.service === service && s.state === state);

describe("stops and restarts in a cluster reach a service on another node", () => {
  it("a stop clicked on b, a restart across nodes, and a stop while b is gone", async () => {
    const { onA, onB } = await cluster.members();
    const workerPid = () => servicePid(join(cluster.dir, "b"), "worker");
    // Clicked on `on`; read back from the leader, which runs these actions and records their steps.
    const act = async (on: TestClient, body: Record<string, unknown>) => {
      const posted = await on.post("/api/actions", { targets: [], withDependents: false, ...body });
      expect(posted.status, posted.text).toBe(202);
      return finishedAction(onA, (posted.body as { actionId: string }).actionId);
    };

    const started = await act(onA, { kind: "start" });
    expect(started.result, JSON.stringify(started.steps)).toBe("succeeded");
    expect(await answers(WORKER_PORT)).toBe(true);
    // b started exactly worker: api is a's, and a's plan had started it already.
    expect(servicePid(join(cluster.dir, "b"), "api")).toBeUndefined();

    // Stack-wide stop clicked on b: the leader runs it, and has b stop worker before api.
    const stopped = await act(onB, { kind: "stop" });
    expect(stopped.result, JSON.stringify(stopped.steps)).toBe("succeeded");
    expect(stepsOf(stopped, "worker")).toEqual([
      "planned: ",
      "stopping: asking node b to stop it",
      "stopped: stopped by node b",
    ]);
    expect(indexOf(stopped, "worker", "stopped")).toBeLessThan(indexOf(stopped, "api", "stopping"));
    expect(await answers(WORKER_PORT)).toBe(false);
    expect(await answers(API_PORT)).toBe(false);
    const { rows } = await cluster
      .db()
      .pool.query<{ requested_by: string }>(
        "SELECT requested_by FROM actions WHERE kind = 'stop' AND targets = ARRAY['worker']",
      );
    expect(rows.map((r) => r.requested_by)).toContain(cluster.user);

    // A restart of api with its dependents: worker is stopped on b first and started there last.
    expect((await act(onA, { kind: "start" })).result).toBe("succeeded");
    const before = workerPid();
    const restarted = await act(onA, { kind: "restart", targets: ["api"], withDependents: true });
    expect(restarted.result, JSON.stringify(restarted.steps)).toBe("succeeded");
    expect(indexOf(restarted, "worker", "stopped")).toBeLessThan(indexOf(restarted, "api", "stopping"));
    expect(indexOf(restarted, "api", "healthy")).toBeLessThan(indexOf(restarted, "worker", "healthy"));
    expect(workerPid()).toBeGreaterThan(0);
    expect(workerPid()).not.toBe(before);
    expect(await answers(WORKER_PORT)).toBe(true);

    // b is gone (worker keeps running on its machine): the stop fails on worker, saying why.
    await cluster.instances.find((i) => i.name === "b")?.crash();
    const cut = await act(onA, { kind: "stop" });
    expect(cut.result).toBe("failed");
    const failed = (cut.steps ?? []).find((s) => s.service === "worker" && s.state === "failed");
    expect(failed?.message).toMatch(/^node b did not stop it: /);
    expect(cut.message).toContain("worker: node b did not stop it");
  }, 300_000);
});
