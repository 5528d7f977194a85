import { startProxy, type TcpProxy } from "@vigil/db/testing/proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import { postJson } from "../testing/http.ts";
import { type SwitchTarget, startStatusServer, startSwitchTarget } from "./testing.ts";

/*
 * A status page is read most when things are down — Postgres included. The server's only path to
 * Postgres goes through a real TCP proxy the test takes down; the page must keep answering with
 * its last good notices and bars, and still follow live status changes (from the engine).
 */

let target: SwitchTarget;
let proxy: TcpProxy;
let server: VigilServer;
let close: () => Promise<void>;
let skew = 0;

beforeAll(async () => {
  target = await startSwitchTarget();
  proxy = await startProxy({ host: "127.0.0.1", port: 5432 });
  ({ server, close } = await startStatusServer({
    services: {
      shop: { kind: "external", group: "front", checks: [{ kind: "http", name: "home", url: target.url }] },
    },
    viaPort: proxy.port,
    now: () => new Date(Date.now() + skew),
  }));
});

afterAll(async () => {
  await proxy?.up().catch(() => undefined);
  await close?.();
  await proxy?.close();
  await target?.close();
});

type View = { components: { status: string }[]; active: { title: string }[] };
const view = async () => {
  const res = await fetch(`${server.url}/status/shop/json`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: res.ok ? ((await res.json()) as View) : null };
};

describe("status page with Postgres down (real TCP proxy cut)", () => {
  it("keeps serving its last notices and follows live status while the database is unreachable", async () => {
    const created = await postJson(server.url, "/api/status-pages", {
      slug: "shop",
      title: "Shop",
      components: [{ id: "front", kind: "group", ref: "front", name: "Storefront" }],
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    expect(
      (
        await postJson(server.url, `/api/status-pages/${id}/notices`, {
          kind: "incident",
          title: "Slow checkout",
          status: "investigating",
          body: "Looking into it.",
        })
      ).status,
    ).toBe(201);
    await expect
      .poll(async () => (await view()).body?.components[0]?.status, { timeout: 10_000 })
      .toBe("operational");

    await proxy.down();
    // Past every cache TTL: the page has to ask Postgres again, which is gone.
    skew += 10 * 60_000;
    const during = await view();
    expect(during.status).toBe(200);
    expect(during.body?.active.map((n) => n.title)).toEqual(["Slow checkout"]);

    // Live status comes from the engine, not the database: the outage still shows.
    target.down = true;
    await expect
      .poll(async () => (await view()).body?.components[0]?.status, { timeout: 10_000 })
      .toBe("outage");
    target.down = false;
    await proxy.up();
  });
});
