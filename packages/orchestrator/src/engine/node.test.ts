import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { alive, freePort, httpService, tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { createEngine, type Engine } from "./engine.ts";

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
    startElsewhere?: (name: string, node: string, requestedBy: string) => Promise<void>,
  ) => {
    const events: EngineEvent[] = [];
    const engine = createEngine({
      config,
      stateDir,
      onEvent: (e) => events.push(e),
      ...(localNode === undefined ? {} : { localNode }),
      ...(startElsewhere ? { startElsewhere } : {}),
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
    // What the web layer does through the cluster (a forwarded start), here straight to node-b's engine.
    const a = make(config, stateDir, "node-a", async (name, node, requestedBy) => {
      asked.push(`${name}@${node} for ${requestedBy}`);
      b.engine.start([name], { requestedBy });
    });
    await a.engine.ready;
    const started = await a.engine.start([], { requestedBy: "alice" }).done;
    expect(started.result).toBe("succeeded");
    expect(asked).toEqual(["worker@node-b for alice"]);
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
      message: "node node-b could not be asked to start it: no live instance owns it right now",
    });
  }, 90_000);
});
