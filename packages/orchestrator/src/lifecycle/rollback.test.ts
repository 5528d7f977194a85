import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import { dockerAvailable, TEST_IMAGE_V1, TEST_IMAGE_V2 } from "../testing/docker.ts";
import { harness } from "./fixtures/engine-harness.ts";
import { freePort, httpService } from "./fixtures/helpers.ts";
import type { RevisionEntry } from "./revisions.ts";

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

describe("rollback", () => {
  const open: { close: () => Promise<void> }[] = [];
  const containers: string[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close().catch(() => {});
    for (const name of containers.splice(0)) {
      try {
        docker("rm", "-f", name);
      } catch {
        // already gone
      }
    }
  });

  async function withService(h: ReturnType<typeof harness>, name: string, patch: Record<string, unknown>) {
    const services = { ...h.config.services, [name]: { ...h.config.services[name], ...patch } };
    await h.engine.reload(ConfigSchema.parse({ project: h.config.project, services }));
  }

  it.skipIf(!dockerAvailable())(
    "returns a docker service from vigil/busybox:2 to :1 and verifies health",
    async () => {
      const port = await freePort();
      const name = `vigil-rollback-${process.pid}-${port}`;
      containers.push(name);
      const h = harness({
        web: {
          kind: "docker",
          image: TEST_IMAGE_V1,
          container_name: name,
          command: `exec httpd -f -p ${port} -h /www`,
          stop_grace: "1s",
          startup_timeout: "20s",
          checks: [
            {
              kind: "http",
              url: `http://127.0.0.1:${port}/version`,
              health_document: false,
              interval: "200ms",
              expect: { body_contains: "vigil-busybox" },
            },
          ],
        },
      });
      open.push(h);
      const version = async () => (await (await fetch(`http://127.0.0.1:${port}/version`)).text()).trim();
      expect((await h.engine.start().done).result).toBe("succeeded");
      expect(await version()).toBe("vigil-busybox-1");

      await withService(h, "web", { image: TEST_IMAGE_V2 });
      expect((await h.engine.restart(["web"]).done).result).toBe("succeeded");
      expect(docker("inspect", "-f", "{{.Config.Image}}", name)).toBe(TEST_IMAGE_V2);
      expect(await version()).toBe("vigil-busybox-2");

      const back = await h.engine.rollback("web").done;
      expect(back).toMatchObject({
        result: "succeeded",
        rollback: { from: TEST_IMAGE_V2, to: TEST_IMAGE_V1, automatic: false, healthy: true },
      });
      expect(docker("inspect", "-f", "{{.Config.Image}}", name)).toBe(TEST_IMAGE_V1);
      expect(await version()).toBe("vigil-busybox-1");
      expect(h.engine.snapshot()[0]?.runtime.revision).toBe(TEST_IMAGE_V1);

      const history = JSON.parse(readFileSync(join(h.stateDir, "revisions.json"), "utf8")) as Record<
        string,
        RevisionEntry[]
      >;
      expect(history.web?.map((e) => [e.revision, e.outcome])).toEqual([
        [TEST_IMAGE_V1, "healthy"],
        [TEST_IMAGE_V2, "rolled-back"],
        [TEST_IMAGE_V1, "healthy"],
      ]);
    },
    60_000,
  );

  it("rolls a process back to its previous command/env and reports the newer revision's failure", async () => {
    const h = harness({ api: httpService(await freePort(), { env: { VERSION: "1" } }) });
    open.push(h);
    expect((await h.engine.start().done).result).toBe("succeeded");
    const good = h.engine.snapshot()[0]?.runtime.revision;

    await withService(h, "api", {
      env: { ...(h.config.services.api as { env: Record<string, string> }).env, EXIT_CODE: "9" },
    });
    const broken = await h.engine.restart(["api"]).done;
    expect(broken.result).toBe("failed");

    const back = await h.engine.rollback("api").done;
    expect(back.result).toBe("succeeded");
    expect(back.rollback).toMatchObject({ to: good, healthy: true });
    expect(back.failureReport?.message).toMatch(/exited with code 9/);
    expect(h.engine.snapshot()[0]?.runtime.revision).toBe(good);
  });

  it("with rollback: auto, a new revision failing its health checks returns to the previous one", async () => {
    const port = await freePort();
    const h = harness({ api: httpService(port, { rollback: "auto", startup_timeout: "1500ms" }) });
    open.push(h);
    expect((await h.engine.start().done).result).toBe("succeeded");
    const good = h.engine.snapshot()[0]?.runtime.revision;

    await withService(h, "api", { env: { PORT: String(port), UNHEALTHY: "1" } });
    const outcome = await h.engine.restart(["api"]).done;
    expect(outcome.result).toBe("failed");
    expect(outcome.message).toMatch(/rolled back automatically/);
    expect(outcome.rollback).toMatchObject({ to: good, automatic: true, healthy: true });
    expect(outcome.failureReport?.message).toMatch(/503/);
    expect(outcome.services.api).toBe("rolled-back");
    expect(h.engine.snapshot()[0]?.runtime.revision).toBe(good);
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
  });

  it("refuses a rollback when no earlier revision is recorded", async () => {
    const h = harness({ api: httpService(await freePort()) });
    open.push(h);
    await h.engine.start().done;
    const outcome = await h.engine.rollback("api").done;
    expect(outcome).toMatchObject({ result: "failed" });
    expect(outcome.message).toMatch(/no earlier good revision of "api"/);
  });
});
