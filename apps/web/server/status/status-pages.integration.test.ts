import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import type { OpenDatabase } from "../startup/database.ts";
import { postJson } from "../testing/http.ts";
import { type SwitchTarget, startStatusServer, startSwitchTarget } from "./testing.ts";

/*
 * Status pages and badges through the real server (no Next), the real engine probing a real HTTP
 * target that the test takes down, and a throwaway database on the real Postgres.
 */

const SECRET_REASON = "backend-7f3a.internal.corp refused: pool exhausted";
let target: SwitchTarget;
let targetUrl: string;
let database: OpenDatabase;
let server: VigilServer;
let close: () => Promise<void>;

beforeAll(async () => {
  target = await startSwitchTarget(SECRET_REASON);
  targetUrl = target.url;
  ({ server, database, close } = await startStatusServer({
    services: {
      "payments-api-int": {
        kind: "external",
        group: "payments-backend",
        checks: [{ kind: "http", name: "home", url: `${targetUrl}/health` }],
      },
      "ledger-db-int": { kind: "external", group: "ledger-internal", checks: [] },
    },
  }));
});

afterAll(async () => {
  await close?.();
  await target?.close();
});

const internal = () => [
  "payments-api-int",
  "payments-backend",
  "ledger-db-int",
  "ledger-internal",
  new URL(targetUrl).host,
  SECRET_REASON,
  "pool exhausted",
];
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(10_000) });

async function until<T>(what: string, fn: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

describe("status pages", () => {
  let pageId = "";

  it("an operator creates a page with two groups; the public page shows public names only", async () => {
    const bad = await postJson(server.url, "/api/status-pages", {
      slug: "acme",
      title: "Acme",
      components: [{ id: "pay", kind: "group", ref: "no-such-group", name: "Payments" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { field: "components.0.ref" } });

    const res = await postJson(server.url, "/api/status-pages", {
      slug: "acme",
      title: "Acme <status>",
      description: "Public status of Acme",
      components: [
        { id: "pay", kind: "group", ref: "payments-backend", name: "Payments" },
        { id: "ledger", kind: "group", ref: "ledger-internal", name: "Ledger" },
      ],
    });
    expect(res.status).toBe(201);
    pageId = (res.body as { id: string }).id;
    await until("payments operational", async () => {
      const j = (await (await get("/status/acme/json")).json()) as { components: { status: string }[] };
      return j.components[0]?.status === "operational" ? true : null;
    });

    const html = await (await get("/status/acme")).text();
    expect(html).toContain("Acme &lt;status&gt;");
    expect(html).toContain("Payments");
    expect(html).toContain("Ledger");
    expect(html.match(/<i /g)?.length).toBe(180);
    for (const word of internal()) expect(html).not.toContain(word);
  });

  it("a service going down shows within a probe interval, with the operator's update; nothing internal leaks", async () => {
    target.down = true;
    const json = await until("payments degraded", async () => {
      const j = (await (await get("/status/acme/json")).json()) as {
        components: { id: string; status: string }[];
      };
      return j.components.find((c) => c.id === "pay")?.status === "outage" ? j : null;
    });
    expect(json).toMatchObject({ status: "outage" });

    const notice = await postJson(server.url, `/api/status-pages/${pageId}/notices`, {
      kind: "incident",
      title: "Payments failing",
      components: ["pay"],
      status: "investigating",
      body: "Card payments fail; we are on it.",
    });
    expect(notice.status).toBe(201);
    const html = await (await get("/status/acme")).text();
    expect(html).toContain("Card payments fail; we are on it.");
    const text = await (await get("/status/acme/json")).text();
    expect(JSON.parse(text)).toMatchObject({
      active: [{ title: "Payments failing", components: ["Payments"] }],
    });
    const feed = await (await get("/status/acme/feed.atom")).text();
    expect(XMLValidator.validate(feed)).toBe(true);
    expect(feed).toContain("Payments failing");
    for (const body of [html, text, feed]) for (const word of internal()) expect(body).not.toContain(word);
    target.down = false;
  });

  it("is cacheable: short max-age, an ETag, 304 on a match", async () => {
    const first = await get("/status/acme/json");
    expect(first.headers.get("cache-control")).toBe("public, max-age=10");
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"/);
    const again = await get("/status/acme/json", { "if-none-match": etag });
    expect([200, 304]).toContain(again.status);
    if (again.status === 200) expect(again.headers.get("etag")).not.toBe(etag);
    expect((await get("/status/nope")).status).toBe(404);
  });

  it("a password keeps everything behind a form until the password is given", async () => {
    const set = await postJson(server.url, `/api/status-pages/${pageId}`, {
      slug: "acme",
      title: "Acme",
      password: "correct horse battery",
      components: [{ id: "pay", kind: "group", ref: "payments-backend", name: "Payments" }],
    });
    expect(set.status).toBe(200);
    const locked = await get("/status/acme");
    expect(locked.status).toBe(401);
    expect(await locked.text()).not.toContain("Payments");
    expect((await get("/status/acme/json")).status).toBe(401);
    const wrong = await fetch(`${server.url}/status/acme/enter`, {
      method: "POST",
      body: new URLSearchParams({ password: "wrong password!!" }),
      redirect: "manual",
    });
    expect(wrong.status).toBe(401);
    const huge = await fetch(`${server.url}/status/acme/enter`, { method: "POST", body: "x".repeat(5000) });
    expect(huge.status).toBe(400);
    const right = await fetch(`${server.url}/status/acme/enter`, {
      method: "POST",
      body: new URLSearchParams({ password: "correct horse battery" }),
      redirect: "manual",
    });
    expect(right.status).toBe(303);
    const cookie = (right.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const open = await get("/status/acme/json", { cookie });
    expect(open.status).toBe(200);
    expect(open.headers.get("cache-control")).toBe("private, max-age=10");
  });

  it("answers on its custom domain by Host header", async () => {
    await postJson(server.url, `/api/status-pages/${pageId}`, {
      slug: "acme",
      title: "Acme",
      password: null,
      customDomain: "status.acme.test",
      components: [{ id: "pay", kind: "group", ref: "payments-backend", name: "Payments" }],
    });
    const { request } = await import("node:http");
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${server.url}/json`, { headers: { host: "status.acme.test" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ slug: "acme", components: [{ name: "Payments" }] });
  });
});

describe("badges", () => {
  it("render valid SVG with the uptime of seeded history, and 404 once revoked", async () => {
    // 7 days of hour rollups for a service with no checks (so the live engine adds nothing):
    // 1000 results, 25 failures → 97.50%.
    const now = Date.now();
    await database.sql.query(
      `insert into rollup_hour (service, "check", bucket, count, failures, min, max, sum, hist)
       values ('ledger-db-int', 'q', $1, 600, 5, 10, 30, 12000, '{}'), ('ledger-db-int', 'q', $2, 400, 20, 10, 30, 8000, '{}')`,
      [
        new Date(now - 3 * 86_400_000 - (now % 3_600_000)),
        new Date(now - 2 * 86_400_000 - (now % 3_600_000)),
      ],
    );
    const created = await postJson(server.url, "/api/badges", {
      targetKind: "group",
      target: "ledger-internal",
      metric: "uptime",
      window: "7d",
    });
    expect(created.status).toBe(201);
    const { id, url } = created.body as { id: string; url: string };
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=10");
    const svg = await res.text();
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: { title: string } };
    expect(doc.svg.title).toBe("uptime 7d: 97.50%");
    expect(svg).not.toContain("ledger");

    const revoke = await postJson(server.url, `/api/badges/${id}/revoke`, {});
    expect(revoke.status).toBe(200);
    expect((await get(url)).status).toBe(404);
    expect((await get("/badge/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.svg")).status).toBe(404);
  });
});

describe("report links", () => {
  it("a signed link shows one report as page, CSV and JSON; a tampered one is 404", async () => {
    const csv = await get("/api/reports?kind=group&target=payments-backend&month=2026-10&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bad = await get("/api/reports?kind=group&target=nope&month=2026-10");
    expect(bad.status).toBe(400);
    const share = await postJson(server.url, "/api/reports/share", {
      kind: "group",
      target: "payments-backend",
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
      slo: 99.5,
    });
    expect(share.status).toBe(201);
    const { url } = share.body as { url: string };
    const json = (await (await get(`${url}.json`)).json()) as {
      report: { slo: number; downtimeMinutes: number };
    };
    expect(json.report.slo).toBe(0.995);
    // The outage of the status-page test above lasted at least one probe interval.
    expect(json.report.downtimeMinutes).toBeGreaterThan(0);
    expect(await (await get(url)).text()).toContain("Uptime report");
    expect((await get(`${url.slice(0, -3)}AAA`)).status).toBe(404);
  });
});

describe("logos", () => {
  // The smallest valid PNG (1×1, transparent).
  const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
  const page = (logoData: string) => ({
    slug: "logo",
    title: "Logo",
    logoData,
    components: [{ id: "pay", kind: "group", ref: "payments-backend", name: "Payments" }],
  });

  it("serves an uploaded raster logo with its sniffed type and refuses SVG", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ).toString("base64");
    const refused = await postJson(server.url, "/api/status-pages", page(svg));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { field: "logoData" } });
    expect((await postJson(server.url, "/api/status-pages", page(PNG))).status).toBe(201);
    const logo = await get("/status/logo/logo");
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await logo.arrayBuffer()).equals(Buffer.from(PNG, "base64"))).toBe(true);
    expect(await (await get("/status/logo")).text()).toContain('<img src="/status/logo/logo"');
  });
});
