import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import type { OpenDatabase } from "../startup/database.ts";
import { postJson } from "../testing/http.ts";
import { startStatusServer } from "./testing.ts";

/*
 * Status notices linked to alerting incidents, through the real server (no Next) on a throwaway
 * database of the real Postgres: the link is validated, "Post a public update" reaches the pages
 * that show the incident's root cause, and the public never reads the incident's internal words.
 */

const KEY = "checkout-core-int:2026-11-30T16:00:00.000Z";
const INTERNAL_TITLE = "checkout-core-int unhealthy: pg-primary-3.corp refused connection";
let database: OpenDatabase;
let server: VigilServer;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ server, database, close } = await startStatusServer({
    services: {
      "checkout-core-int": { kind: "external", group: "checkout-internal", checks: [] },
      "ledger-db-int": { kind: "external", group: "ledger-internal", checks: [] },
    },
  }));
  // What the alerting work writes when checkout-core-int goes down (incidents table).
  await database.sql.query(
    `insert into incidents (key, root_service, severity, title, affected, opened_at)
     values ($1, 'checkout-core-int', 'critical', $2, '{checkout-core-int}', now())`,
    [KEY, INTERNAL_TITLE],
  );
});

afterAll(async () => {
  await close?.();
});

const internal = [
  "checkout-core-int",
  "checkout-internal",
  "ledger-db-int",
  "pg-primary-3",
  KEY,
  INTERNAL_TITLE,
];
const get = (path: string) => fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(10_000) });

async function createPage(slug: string, components: unknown[]): Promise<string> {
  const res = await postJson(server.url, "/api/status-pages", { slug, title: slug, components });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

interface Notice {
  id: string;
  title: string;
  incidentId: string | null;
  components: string[];
  updates: { status: string; body: string }[];
}
const noticesOf = async (pageId: string) =>
  ((await (await get(`/api/status-pages/${pageId}`)).json()) as { notices: Notice[] }).notices;

describe("status notices linked to alerting incidents", () => {
  let shop = "";
  let svc = "";
  let ledger = "";

  beforeAll(async () => {
    shop = await createPage("shop", [
      { id: "checkout", kind: "group", ref: "checkout-internal", name: "Checkout" },
    ]);
    svc = await createPage("svc", [{ id: "cart", kind: "service", ref: "checkout-core-int", name: "Cart" }]);
    ledger = await createPage("books", [
      { id: "ledger", kind: "group", ref: "ledger-internal", name: "Ledger" },
    ]);
  });

  it("a notice may link only an alerting incident that exists", async () => {
    const bad = await postJson(server.url, `/api/status-pages/${shop}/notices`, {
      kind: "incident",
      title: "Checkout slow",
      incidentId: "no-such-incident",
      components: ["checkout"],
      status: "investigating",
      body: "Looking into it.",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { field: "incidentId" } });
    const ok = await postJson(server.url, `/api/status-pages/${shop}/notices`, {
      kind: "incident",
      title: "Checkout slow",
      incidentId: KEY,
      components: ["checkout"],
      status: "investigating",
      body: "Looking into it.",
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ incidentId: KEY, title: "Checkout slow" });
  });

  it("a public update from the incident updates the linked notice and opens one where the service shows", async () => {
    const res = await postJson(server.url, `/api/alerts/incidents/${encodeURIComponent(KEY)}/public-update`, {
      title: "Checkout errors",
      status: "identified",
      body: "We found the cause and are fixing it.",
    });
    expect(res.status).toBe(201);
    const posted = (res.body as { notices: { slug: string; created: boolean }[] }).notices;
    expect(posted.map((n) => [n.slug, n.created]).sort()).toEqual([
      ["shop", false],
      ["svc", true],
    ]);

    const [onShop] = await noticesOf(shop);
    expect(onShop).toMatchObject({ title: "Checkout slow", incidentId: KEY, components: ["checkout"] });
    expect(onShop?.updates.map((u) => u.status)).toEqual(["identified", "investigating"]);
    const onSvc = await noticesOf(svc);
    expect(onSvc).toHaveLength(1);
    expect(onSvc[0]).toMatchObject({ title: "Checkout errors", incidentId: KEY, components: ["cart"] });
    expect(await noticesOf(ledger)).toEqual([]);

    // A second update goes to the same notices; none is opened twice.
    const again = await postJson(
      server.url,
      `/api/alerts/incidents/${encodeURIComponent(KEY)}/public-update`,
      {
        title: "ignored where a notice exists",
        status: "resolved",
        body: "Fixed; checkout works again.",
      },
    );
    expect(again.status).toBe(201);
    expect((again.body as { notices: { created: boolean }[] }).notices.every((n) => !n.created)).toBe(true);
    expect((await noticesOf(svc))[0]?.updates.map((u) => u.status)).toEqual(["resolved", "identified"]);
  });

  it("the public page, JSON and feed show the operator's words and public names, never the incident's", async () => {
    for (const slug of ["shop", "svc"]) {
      const html = await (await get(`/status/${slug}`)).text();
      const json = await (await get(`/status/${slug}/json`)).text();
      const feed = await (await get(`/status/${slug}/feed.atom`)).text();
      expect(XMLValidator.validate(feed)).toBe(true);
      expect(html).toContain("Fixed; checkout works again.");
      expect(json).toContain(slug === "shop" ? "Checkout" : "Cart");
      for (const body of [html, json, feed]) for (const word of internal) expect(body).not.toContain(word);
    }
  });

  it("answers 404 for an unknown incident, 400 for a bad body and 409 when no page shows its service", async () => {
    const path = (key: string) => `/api/alerts/incidents/${encodeURIComponent(key)}/public-update`;
    const body = { title: "t", status: "investigating", body: "b" };
    expect((await postJson(server.url, path("nope"), body)).status).toBe(404);
    const bad = await postJson(server.url, path(KEY), { ...body, status: "scheduled" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { field: "status" } });
    await database.sql.query(
      `insert into incidents (key, root_service, severity, title, affected, opened_at)
       values ('orphan', 'not-on-any-page', 'warning', 'x', '{}', now())`,
    );
    const orphan = await postJson(server.url, path("orphan"), body);
    expect(orphan.status).toBe(409);
    expect(orphan.body).toMatchObject({ error: { field: "key" } });
  });
});
