import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { authHeaders, BASE, expect, test } from "./helpers";

/*
 * Issue 18's link between alerting incidents and status notices, in the UI: an open incident
 * (written as the alerting work writes it, the fixture has no alert routes) gets "Post a public
 * update" on /alerts; the visitor's status page shows the operator's words under the public
 * component name, never the incident's internal title or service; the notice list marks the link.
 */

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
}
type PgModule = {
  Client: new (o: { connectionString: string; connectionTimeoutMillis: number }) => PgClient;
};

// `pg` from @vigil/db, as e2e/db.mjs does: the web app has no copy of its own.
const here = dirname(fileURLToPath(import.meta.url));
const { Client } = createRequire(join(here, "../../../packages/db/package.json"))("pg") as PgModule;

/** One statement on the e2e server's own throwaway database. */
async function sql(text: string, values: unknown[]): Promise<void> {
  const db = new Client({
    connectionString: `${process.env.VIGIL_E2E_PG ?? "postgres://postgres@127.0.0.1:5432"}/${process.env.VIGIL_E2E_DB}`,
    connectionTimeoutMillis: 5000,
  });
  await db.connect();
  try {
    await db.query(text, values);
  } finally {
    await db.end();
  }
}

const SLUG = `inc-${Date.now().toString(36)}`;
const KEY = `worker:${new Date().toISOString()}`;
const INTERNAL_TITLE = "worker unhealthy: svc.mjs ECONNREFUSED on 127.0.0.1";

// Later specs (alerting's) see no incident of this one open.
test.afterAll(async () => {
  await sql("update incidents set resolved_at = now() where key = $1", [KEY]);
});

test("'Post a public update' on an incident reaches the status page showing its service, in public words only", async ({
  page,
  browser,
}) => {
  await sql(
    `insert into incidents (key, root_service, severity, title, affected, opened_at)
     values ($1, 'worker', 'critical', $2, '{worker}', now())`,
    [KEY, INTERNAL_TITLE],
  );
  const created = await fetch(`${BASE}/api/status-pages`, {
    method: "POST",
    headers: { ...authHeaders(), "content-type": "application/json" },
    body: JSON.stringify({
      slug: SLUG,
      title: "Incident link",
      components: [{ id: "portal", kind: "group", ref: "edge", name: "Portal" }],
    }),
  });
  expect(created.status).toBe(201);

  await page.goto("/alerts?state=open");
  const incident = page.getByTestId("incident-list").locator("li", { hasText: INTERNAL_TITLE });
  await incident.getByRole("button", { name: "Post a public update" }).click();
  const form = incident.getByRole("form", { name: "Post a public update" });
  await form.getByLabel("Public title").fill("Portal slow");
  await form.getByLabel("Public update text").fill("Some pages load slowly; we are on it.");
  await form.getByRole("button", { name: "Post" }).click();
  await expect(form.getByRole("status")).toContainText(`/status/${SLUG} (new notice)`);

  const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const pub = await visitor.newPage();
    await pub.goto(`/status/${SLUG}`);
    await expect(pub.getByText("Some pages load slowly; we are on it.")).toBeVisible();
    const html = await pub.content();
    const json = await (await pub.request.get(`/status/${SLUG}/json`)).text();
    expect(JSON.parse(json)).toMatchObject({ active: [{ title: "Portal slow", components: ["Portal"] }] });
    for (const body of [html, json]) {
      expect(body).not.toContain(INTERNAL_TITLE);
      expect(body).not.toContain(KEY);
    }
  } finally {
    await visitor.close();
  }

  await page.goto("/status-pages");
  const item = page.getByTestId("status-page-list").locator("li", { hasText: "Incident link" });
  await expect(item.getByText("linked to alerting incident")).toBeVisible();
});
