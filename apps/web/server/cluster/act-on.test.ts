import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema, createEngine, type Engine } from "@vigil/orchestrator";
import { afterEach, describe, expect, it } from "vitest";
import { adaptEngine } from "../adapters/engine.ts";
import { repoRoot, until } from "../control/testing/processes.ts";
import { actOn } from "./act-on.ts";
import { type LocalOps, ownerRouting } from "./forward.ts";
import { PeerAuth } from "./peer-auth.ts";
import { closeOwners, owner, sender } from "./testing/peers.ts";

/*
 * actOn over the real forwarding protocol (signed HTTP on loopback) to a node whose engine is
 * real, running real processes. The node's side is the glue app.ts has, minus the web LiveState:
 * its engine answers where an action stands.
 */

const fixture = join(repoRoot, "packages/orchestrator/src/lifecycle/fixtures/http-service.mjs");
const WORKER_PORT = 43_130;

const httpProcess = (port: number, env: Record<string, string>) => ({
  kind: "process",
  command: [process.execPath, fixture],
  env: { PORT: String(port), ...env },
  stop_grace: "2s",
  startup_timeout: "15s",
  checks: [{ kind: "http", url: `http://127.0.0.1:${port}/health`, interval: "200ms", timeout: "1s" }],
});

/** The node's LocalOps on its engine: actions as runAction runs them, their state from the engine. */
function nodeOps(engine: Engine): LocalOps {
  const port = adaptEngine(engine);
  return {
    action: (request, requestedBy, o) => {
      const handle = port.run(request.kind, request.targets, {
        requestedBy,
        withDependents: request.withDependents,
        ...(o?.alone ? { alone: true } : {}),
      });
      return {
        actionId: handle.actionId,
        deduplicated: handle.deduplicated,
        plan: { waves: handle.plan.waves },
      };
    },
    jobRun: () => {
      throw new Error("this node runs no jobs");
    },
    cancel: (actionId) => ({ actionId, cancelled: engine.cancel(actionId) }),
    state: (actionId) => {
      const outcome = engine.action(actionId)?.outcome;
      return { actionId, result: outcome?.result ?? "running", message: outcome?.message ?? null };
    },
  };
}

const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );

describe("actOn: another node's action, waited for to the end", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    await closeOwners();
    for (const engine of engines.splice(0)) await engine.close({ stopServices: true }).catch(() => {});
  });

  async function node() {
    const config = ConfigSchema.parse({
      project: `acton${process.pid}`,
      // worker takes 1.5 s to answer its check: long enough for an action to land on its start.
      services: {
        worker: httpProcess(WORKER_PORT, { DELAY_MS: "1500" }),
        crashing: httpProcess(WORKER_PORT + 1, { EXIT_CODE: "3" }),
      },
    });
    const engine = createEngine({
      config,
      stateDir: mkdtempSync(join(tmpdir(), "vigil-act-on-")),
      onEvent: () => {},
    });
    engines.push(engine);
    await engine.ready;
    const leader = await owner("k", nodeOps(engine));
    const act = actOn(ownerRouting({ self: sender(leader), auth: new PeerAuth("k") }), 50);
    return { engine, act };
  }

  it("a stop that lands on a start still running there waits it out and is sent again: the service ends stopped", async () => {
    const { engine, act } = await node();
    const starting = engine.start(["worker"], { requestedBy: "carol" });
    await act(
      "node-owner",
      { kind: "stop", targets: ["worker"], requestedBy: "alice" },
      { timeoutMs: 30_000 },
    );
    expect((await starting.done).result).toBe("succeeded");
    // The first forward was handed the running start (deduplicated); the stop ran after it.
    expect(engine.actions().map((a) => `${a.kind} by ${a.plan.requestedBy}`)).toEqual([
      "stop by alice",
      "start by carol",
    ]);
    expect(engine.snapshot().find((s) => s.name === "worker")?.runtime.state).toBe("stopped");
    expect(await answers(WORKER_PORT)).toBe(false);
  }, 60_000);

  it("rejects with the node's reason, on its deadline, and cancels the node's action when cancelled here", async () => {
    const { engine, act } = await node();
    await expect(
      act(
        "node-owner",
        { kind: "start", targets: ["crashing"], requestedBy: "alice" },
        { timeoutMs: 30_000 },
      ),
    ).rejects.toThrow(/^its action act_\S+ failed: crashing: .*code 3/);

    await expect(
      act("node-owner", { kind: "start", targets: ["worker"], requestedBy: "alice" }, { timeoutMs: 300 }),
    ).rejects.toThrow(/^its action act_\S+ did not finish within 0.3 s \(it may still, there\)$/);
    await until("the node's start to finish", () => engine.actions()[0]?.outcome);
    await engine.stop(["worker"]).done;

    const cancel = new AbortController();
    const pending = act(
      "node-owner",
      { kind: "start", targets: ["worker"], requestedBy: "alice" },
      { timeoutMs: 30_000, signal: cancel.signal },
    );
    setTimeout(() => cancel.abort(), 300);
    await expect(pending).rejects.toThrow(/^cancelled \(its action act_\S+ too\)$/);
    const outcome = await until("the node's start to end", () => engine.actions()[0]?.outcome);
    expect(outcome).toMatchObject({ kind: "start", result: "cancelled" });
  }, 60_000);
});
