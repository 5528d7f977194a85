import { afterEach, describe, expect, it } from "vitest";
import { harness } from "./fixtures/engine-harness.ts";
import { alive, freePort, httpService, service } from "./fixtures/helpers.ts";

describe("lifecycle with real processes", () => {
  const open: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close().catch(() => {});
  });
  const make = (services: Record<string, unknown>) => {
    const h = harness(services);
    open.push(h);
    return h;
  };

  it("starts three waves in order, gated on health, and stops them in reverse", async () => {
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    const h = make({
      db: httpService(p1, { env: { DELAY_MS: "400" } }),
      api: { ...httpService(p2), depends_on: ["db"] },
      web: { ...httpService(p3), depends_on: { api: { condition: "healthy" } } },
    });
    const action = h.engine.start();
    expect(action.plan.waves).toEqual([["db"], ["api"], ["web"]]);
    const outcome = await action.done;
    expect(outcome).toMatchObject({
      result: "succeeded",
      services: { db: "healthy", api: "healthy", web: "healthy" },
    });
    expect(h.indexOf("db", "healthy")).toBeLessThan(h.indexOf("api", "starting"));
    expect(h.indexOf("api", "healthy")).toBeLessThan(h.indexOf("web", "starting"));
    expect(h.events[0]).toMatchObject({ type: "action.planned" });
    expect(h.events.at(-1)).toMatchObject({ type: "action.finished", result: "succeeded" });
    const pids = h.engine.snapshot().map((s) => s.runtime.pid ?? 0);
    expect(pids.every((pid) => pid > 0 && alive(pid))).toBe(true);

    const again = await h.engine.start(["web"]).done;
    expect(again.services).toEqual({ db: "skipped", api: "skipped", web: "skipped" });
    expect(h.steps(again.actionId).find((s) => s.state === "skipped")?.message).toBe("already running");

    const stop = h.engine.stop();
    expect(stop.plan.waves).toEqual([["web"], ["api"], ["db"]]);
    expect((await stop.done).result).toBe("succeeded");
    const stopped = h
      .steps(stop.actionId)
      .filter((s) => s.state === "stopped")
      .map((s) => s.service);
    expect(stopped).toEqual(["web", "api", "db"]);
    expect(pids.some((pid) => alive(pid))).toBe(false);
  });

  it("rolls back waves 1–2 in reverse when a critical service in wave 2 fails", async () => {
    const [pa, pb, pc, pd] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const h = make({
      a: httpService(pa),
      b: {
        ...httpService(pb, { env: { UNHEALTHY: "1" } }),
        depends_on: ["a"],
        critical: true,
        startup_timeout: "1500ms",
      },
      d: { ...httpService(pd), depends_on: ["a"] },
      c: { ...httpService(pc), depends_on: ["b"] },
    });
    const outcome = await h.engine.start().done;
    expect(outcome.result).toBe("failed");
    expect(outcome.message).toMatch(/critical service "b" failed: .*503/);
    expect(outcome.services).toMatchObject({
      a: "rolled-back",
      b: "rolled-back",
      d: "rolled-back",
      c: "skipped",
    });
    const rolled = h
      .steps(outcome.actionId)
      .filter((s) => s.state === "rolled-back")
      .map((s) => s.service);
    expect(rolled.indexOf("a")).toBe(2); // wave 1 services first, then wave 0
    expect(h.indexOf("c", "starting")).toBe(-1);
    const snapshot = h.engine.snapshot();
    expect(snapshot.every((s) => s.runtime.state !== "running")).toBe(true);
  });

  it("fails only the non-critical service and its dependents; others continue", async () => {
    const [pa, pb, pc] = [await freePort(), await freePort(), await freePort()];
    const h = make({
      a: httpService(pa),
      bad: { ...httpService(pb, { env: { EXIT_CODE: "2" } }), depends_on: ["a"] },
      child: { ...httpService(pc), depends_on: ["bad"] },
      other: { ...httpService(await freePort()), depends_on: ["a"] },
    });
    const outcome = await h.engine.start().done;
    expect(outcome.result).toBe("failed");
    expect(outcome.services).toMatchObject({
      a: "healthy",
      bad: "failed",
      child: "skipped",
      other: "healthy",
    });
    const skip = h.steps().find((s) => s.service === "child" && s.state === "skipped");
    expect(skip?.message).toBe("dependency bad failed");
    expect(outcome.message).toMatch(/exited with code 2/);
  });

  it("answers a second restart of a busy service with the first action's id", async () => {
    const h = make({ api: httpService(await freePort(), { env: { DELAY_MS: "300" } }) });
    await h.engine.start().done;
    const first = h.engine.restart(["api"]);
    const second = h.engine.restart(["api"]);
    expect(second).toMatchObject({ actionId: first.actionId, deduplicated: true });
    await Promise.all([first.done, second.done]);
    const starts = h.events.filter(
      (e) => e.type === "action.step" && e.state === "starting" && e.stage === undefined,
    );
    expect(starts.length).toBe(2); // the initial start and exactly one restart
    expect(h.engine.actions().map((a) => a.kind)).toEqual(["restart", "start"]);
  });

  it("cancels a start: waits abort and the half-started service is stopped", async () => {
    const h = make({
      slow: httpService(await freePort(), { env: { DELAY_MS: "60000" }, startup_timeout: "60s" }),
    });
    const action = h.engine.start();
    while (h.indexOf("slow", "starting") < 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    const pid = h.engine.snapshot()[0]?.runtime.pid ?? 0;
    expect(h.engine.cancel(action.actionId)).toBe(true);
    const outcome = await action.done;
    expect(outcome.result).toBe("cancelled");
    expect(outcome.services.slow).toBe("stopped");
    expect(alive(pid)).toBe(false);
  });

  it("refuses to start or restart an external service with a clear message", async () => {
    const h = make({ redis: service({ kind: "external", checks: [{ kind: "tcp", port: 6379 }] }) });
    const start = await h.engine.start(["redis"]).done;
    expect(start.result).toBe("failed");
    expect(start.message).toContain(
      'service "redis" is external: Vigil only probes it and cannot start or stop it',
    );
    const restart = await h.engine.restart(["redis"]).done;
    expect(restart.message).toBe(
      'service "redis" is external: Vigil only probes it and cannot start or stop it',
    );
  });

  it("reports staged-check stages while starting and honours the started condition", async () => {
    const [pm, pw] = [await freePort(), await freePort()];
    const h = make({
      model: httpService(pm, {
        env: { DELAY_MS: "800" },
        checks: [
          {
            kind: "staged",
            interval: "100ms",
            stages: [
              { name: "process", check: { kind: "command", command: "true" } },
              { name: "api", check: { kind: "http", url: `http://127.0.0.1:${pm}/health` } },
            ],
          },
        ],
      }),
      worker: { ...httpService(pw), depends_on: { model: { condition: "started" } } },
    });
    const outcome = await h.engine.start().done;
    expect(outcome.result).toBe("succeeded");
    const staged = h.steps().filter((s) => s.service === "model" && s.stage !== undefined);
    expect(staged[0]).toMatchObject({ state: "starting", stage: "process" });
    expect(h.indexOf("worker", "starting")).toBeLessThan(h.indexOf("model", "healthy"));
  });
});
