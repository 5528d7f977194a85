import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { alive, freePort, httpService, tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { createEngine, type Engine, type EngineOptions } from "./engine.ts";

type ActOn = NonNullable<EngineOptions["actOn"]>;

/**
 * What the web layer does through the cluster (a forwarded action on exactly those services,
 * awaited until it finishes), here straight to node-b's engine; each request is noted in `asked`.
 * With `link.up` false node-b does not answer.
 */
function askEngine(engine: Engine, asked: string[], link = { up: true }): ActOn {
  return async (node, { kind, targets, requestedBy }) => {
    asked.push(`${kind} ${targets.join(",")}@${node} for ${requestedBy}`);
    if (!link.up)
      throw new Error(`the instance that runs this (node ${node} at http://127.0.0.1:1) did not answer`);
    const by = { requestedBy, alone: true };
    const handle =
      kind === "start"
        ? engine.start(targets, by)
        : kind === "stop"
          ? engine.stop(targets, by)
          : kind === "restart"
            ? engine.restart(targets, by)
            : engine.rollback(targets[0] ?? "", by);
    const outcome = await handle.done;
    if (outcome.result !== "succeeded")
      throw new Error(`its action ${outcome.actionId} ${outcome.result}: ${outcome.message}`);
  };
}

/*
 * Two engines as two cluster instances on one machine, sharing one state directory on purpose:
 * the instance that does not own the service could adopt its pid file and supervise it, and must
 * not. Real processes, real exits.
 */
describe("process services belong to a node", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0).reverse())
      await engine.close({ stopServices: true }).catch(() => {});
  });

  const make = (
    config: ReturnType<typeof ConfigSchema.parse>,
    stateDir: string,
    localNode?: string,
    actOn?: ActOn,
  ) => {
    const events: EngineEvent[] = [];
    const engine = createEngine({
      config,
      stateDir,
      onEvent: (e) => events.push(e),
      ...(localNode === undefined ? {} : { localNode }),
      ...(actOn ? { actOn } : {}),
    });
    engines.push(engine);
    return { engine, events };
  };
  const runtime = (engine: Engine, name: string) => engine.snapshot().find((s) => s.name === name)?.runtime;

  it("only node-b starts, adopts and restarts a `node: node-b` service; node-a waits for it and never touches it", async () => {
    const port = await freePort();
    const config = ConfigSchema.parse({
      project: `node${process.pid}`,
      services: {
        worker: httpService(port, {
          node: "node-b",
          restart: { policy: "always", backoff: { initial: "100ms" } },
        }),
      },
    });
    const stateDir = tempStateDir();
    const b = make(config, stateDir, "node-b");
    await b.engine.ready;
    expect((await b.engine.start().done).result).toBe("succeeded");
    const pid = runtime(b.engine, "worker")?.pid ?? 0;
    expect(alive(pid)).toBe(true);

    // node-a comes up beside it: the pid file is right there, and is not adopted.
    const a = make(config, stateDir, "node-a");
    await a.engine.ready;
    expect(runtime(a.engine, "worker")).toMatchObject({ state: "external" });
    expect(runtime(a.engine, "worker")?.pid).toBeUndefined();
    expect(a.engine.snapshot().find((s) => s.name === "worker")?.node).toBe("node-b");

    // A start on node-a waits for node-b's process to be healthy; a stop there leaves it running.
    const started = await a.engine.start().done;
    expect(started.result).toBe("succeeded");
    const steps = (events: EngineEvent[], state: string) =>
      events.filter((e) => e.type === "action.step" && e.service === "worker" && e.state === state);
    expect(steps(a.events, "healthy")[0]).toMatchObject({
      message: expect.stringMatching(/^runs on node node-b/),
    });
    expect(steps(a.events, "starting")).toEqual([]);
    expect((await a.engine.stop(["worker"]).done).services.worker).toBe("skipped");
    expect(alive(pid)).toBe(true);
    expect((await a.engine.rollback("worker").done).result).toBe("failed");

    // The process dies: node-b's restart policy brings it back; node-a does nothing.
    process.kill(pid, "SIGKILL");
    await until(() => {
      const now = runtime(b.engine, "worker");
      return now?.state === "running" && now.pid !== pid && alive(now.pid ?? 0);
    }, 30_000);
    const restarted = (events: EngineEvent[]) => events.filter((e) => e.type === "service.restarted");
    expect(restarted(b.events)).toHaveLength(1);
    expect(restarted(a.events)).toEqual([]);
    expect(runtime(a.engine, "worker")).toMatchObject({ state: "external", restarts: 0 });
  }, 90_000);

  it("a single instance (no node name) runs a service whatever its node:", async () => {
    const port = await freePort();
    const config = ConfigSchema.parse({
      project: `single${process.pid}`,
      services: { worker: httpService(port, { node: "node-b" }) },
    });
    const { engine } = make(config, tempStateDir());
    await engine.ready;
    expect((await engine.start().done).result).toBe("succeeded");
    expect(alive(runtime(engine, "worker")?.pid ?? 0)).toBe(true);
    // Nor does the board say it runs elsewhere.
    expect(engine.snapshot().find((s) => s.name === "worker")?.node).toBeUndefined();
  }, 60_000);

  it("a start on node-a asks node-b to start its service, then waits for it; a refusal fails the step with why", async () => {
    const port = await freePort();
    const config = ConfigSchema.parse({
      project: `ask${process.pid}`,
      services: { worker: httpService(port, { node: "node-b" }) },
    });
    const stateDir = tempStateDir();
    const b = make(config, stateDir, "node-b");
    await b.engine.ready;
    const asked: string[] = [];
    const a = make(config, stateDir, "node-a", askEngine(b.engine, asked));
    await a.engine.ready;
    const started = await a.engine.start([], { requestedBy: "alice" }).done;
    expect(started.result).toBe("succeeded");
    expect(asked).toEqual(["start worker@node-b for alice"]);
    expect(alive(runtime(b.engine, "worker")?.pid ?? 0)).toBe(true);
    const steps = a.events.filter((e) => e.type === "action.step" && e.service === "worker");
    expect(steps.map((e) => (e.type === "action.step" ? e.state : ""))).toEqual(
      expect.arrayContaining(["starting", "healthy"]),
    );

    const refusing = make(config, stateDir, "node-a", async () => {
      throw new Error("no live instance owns it right now");
    });
    await refusing.engine.ready;
    await b.engine.stop(["worker"]).done;
    const failed = await refusing.engine.start(["worker"]).done;
    expect(failed.result).toBe("failed");
    expect(
      refusing.events.find((e) => e.type === "action.step" && e.service === "worker" && e.state === "failed"),
    ).toMatchObject({
      message: "node node-b did not start it: no live instance owns it right now",
    });
  }, 90_000);

  /** `api` runs on node-a (no node:), `worker` on node-b and needs `api`: each in its own state directory. */
  async function crossNodeStack(ports: [number, number]) {
    const config = ConfigSchema.parse({
      project: `cross${process.pid}`,
      services: {
        api: httpService(ports[0]),
        worker: httpService(ports[1], { node: "node-b", depends_on: { api: { condition: "healthy" } } }),
      },
    });
    const b = make(config, tempStateDir(), "node-b");
    const asked: string[] = [];
    const link = { up: true };
    const a = make(config, tempStateDir(), "node-a", askEngine(b.engine, asked, link));
    await Promise.all([a.engine.ready, b.engine.ready]);
    const started = await a.engine.start([], { requestedBy: "alice" }).done;
    expect(started.result, started.message).toBe("succeeded");
    return { a, b, asked, link };
  }
  const stepsOf = (events: EngineEvent[], service: string) =>
    events.flatMap((e) => (e.type === "action.step" && e.service === service ? [e] : []));
  const at = (events: EngineEvent[], service: string, state: string, from = 0) =>
    events.findIndex(
      (e, i) => i >= from && e.type === "action.step" && e.service === service && e.state === state,
    );

  it("a stack-wide stop on node-a has node-b stop its service, dependents first, and waits until it has", async () => {
    const { a, b, asked, link } = await crossNodeStack([43_110, 43_111]);
    // node-b started exactly its own service: node-a's plan had already started what it needs.
    expect(b.engine.actions().map((x) => x.plan.waves)).toEqual([[["worker"]]]);
    expect(runtime(b.engine, "api")?.pid).toBeUndefined();
    const pid = runtime(b.engine, "worker")?.pid ?? 0;
    expect(alive(pid)).toBe(true);

    const from = a.events.length;
    const stopped = await a.engine.stop([], { requestedBy: "alice" }).done;
    expect(stopped).toMatchObject({ result: "succeeded", services: { worker: "stopped", api: "stopped" } });
    expect(asked).toEqual(["start worker@node-b for alice", "stop worker@node-b for alice"]);
    expect(alive(pid)).toBe(false);
    expect(runtime(b.engine, "worker")?.state).toBe("stopped");
    expect(stepsOf(a.events.slice(from), "worker").map((e) => [e.state, e.message])).toEqual([
      ["planned", undefined],
      ["stopping", "asking node node-b to stop it"],
      ["stopped", "stopped by node node-b"],
    ]);
    // What worker needs is stopped only once node-b has said worker is down.
    expect(at(a.events, "worker", "stopped", from)).toBeLessThan(at(a.events, "api", "stopping", from));

    // node-b cannot be reached: the stop fails with why, never "stopped".
    await a.engine.start([], { requestedBy: "alice" }).done;
    link.up = false;
    const failed = await a.engine.stop(["worker"]).done;
    expect(failed).toMatchObject({ result: "failed", services: { worker: "failed" } });
    expect(failed.message).toBe(
      "worker: node node-b did not stop it: the instance that runs this (node node-b at http://127.0.0.1:1) did not answer",
    );
    expect(alive(runtime(b.engine, "worker")?.pid ?? 0)).toBe(true);
  }, 120_000);

  it("a restart of node-b's service is one restart there; a restart across nodes stops and starts it in order", async () => {
    const { a, b, asked, link } = await crossNodeStack([43_112, 43_113]);
    const first = runtime(b.engine, "worker")?.pid ?? 0;

    const alone = await a.engine.restart(["worker"], { requestedBy: "bob" }).done;
    expect(alone.result, alone.message).toBe("succeeded");
    expect(asked.at(-1)).toBe("restart worker@node-b for bob");
    expect(b.engine.actions()[0]).toMatchObject({ kind: "restart", plan: { waves: [["worker"]] } });
    const second = runtime(b.engine, "worker")?.pid ?? 0;
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);

    const from = a.events.length;
    const across = await a.engine.restart(["api"], { withDependents: true, requestedBy: "bob" }).done;
    expect(across.result, across.message).toBe("succeeded");
    expect(asked.slice(-2)).toEqual(["stop worker@node-b for bob", "start worker@node-b for bob"]);
    const third = runtime(b.engine, "worker")?.pid ?? 0;
    expect(third).not.toBe(second);
    expect(alive(third)).toBe(true);
    expect(at(a.events, "worker", "stopped", from)).toBeLessThan(at(a.events, "api", "stopping", from));
    expect(at(a.events, "api", "healthy", from)).toBeLessThan(at(a.events, "worker", "starting", from));

    // A rollback goes to node-b too, and its refusal (no earlier revision there) comes back.
    const rollback = await a.engine.rollback("worker", { requestedBy: "bob" }).done;
    expect(asked.at(-1)).toBe("rollback worker@node-b for bob");
    expect(rollback.result).toBe("failed");
    expect(rollback.message).toMatch(
      /^node node-b did not roll it back: .*no earlier good revision of "worker"/,
    );

    // node-b cannot be reached: the restart fails at worker and leaves api, which worker needs, up.
    const api = runtime(a.engine, "api")?.pid ?? 0;
    link.up = false;
    const stuck = await a.engine.restart(["api"], { withDependents: true }).done;
    expect(stuck).toMatchObject({ result: "failed", services: { worker: "failed", api: "skipped" } });
    expect(runtime(a.engine, "api")?.pid).toBe(api);
    expect(alive(api)).toBe(true);
  }, 120_000);
});
