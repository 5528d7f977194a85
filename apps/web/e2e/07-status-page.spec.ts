import { authHeaders, BASE, expect, getJson, runAction, test } from "./helpers";
import { ensureStackHealthy } from "./stack";

/*
 * Issue 18's acceptance: an operator builds a status page from two groups in the UI; a service
 * goes down; a visitor with no session (its own browser context) sees the component degraded
 * within a probe interval plus propagation (the page's 10 s JSON poll), with the operator's
 * update — and nothing internal anywhere in the HTML, the JSON or the feed.
 */

const SLUG = `e2e-${Date.now().toString(36)}`;
// Every internal name of the fixture (services, groups), its hosts and the words of its reasons.
const INTERNAL =
  /\b(store|cache|redis|api|search|web|worker|data|core|edge|health|127\.0\.0\.1|localhost|ECONNREFUSED|refused|stopped|svc\.mjs)\b/i;

test.beforeAll(async () => {
  await ensureStackHealthy();
});

test.afterAll(async () => {
  await runAction("start", ["worker"]);
});

test("an operator's status page shows a downed service to anonymous visitors, with the update, leaking nothing", async ({
  page,
  browser,
}) => {
  // The operator creates the page in the UI: groups "data" and "edge" under public names.
  await page.goto("/status-pages");
  const form = page.getByRole("form", { name: "New status page" });
  await form.getByLabel("Slug").fill(SLUG);
  await form.getByLabel("Title").fill("Acme Status");
  await form.getByLabel("Component 1").selectOption("group:data");
  await form.getByLabel("Public name 1").fill("Records");
  await form.getByRole("button", { name: "Add component" }).click();
  await form.getByLabel("Component 2").selectOption("group:edge");
  await form.getByLabel("Public name 2").fill("Portal");
  await form.getByRole("button", { name: "Create page" }).click();
  await expect(page.getByTestId("status-page-list").getByRole("link", { name: "Acme Status" })).toBeVisible();

  // A visitor: a fresh context without the operator's cookies.
  const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const pub = await visitor.newPage();
    await pub.goto(`/status/${SLUG}`);
    await expect(pub.locator("#c-portal .s")).toHaveText("Operational", { timeout: 15_000 });
    expect(await visitor.cookies()).toEqual([]);

    // The worker (group "edge") goes down; the operator posts an incident on "Portal".
    const stop = await runAction("stop", ["worker"]);
    expect(stop.result).toBe("succeeded");
    const downAt = Date.now();
    const item = page.getByTestId("status-page-list").locator("li", { hasText: "Acme Status" });
    await item.getByLabel("Notice title").fill("Portal partly unavailable");
    await item.getByLabel("Public update").fill("Some pages do not load; we are on it.");
    await item.getByLabel("Portal").check();
    await item.getByRole("button", { name: "Post" }).click();
    await expect(item.getByText("Posted.")).toBeVisible();

    // Probe interval 1 s + the page's 10 s poll + a reload: well inside 20 s.
    await expect(pub.locator("#c-portal .s")).toHaveText("Degraded", { timeout: 20_000 });
    console.log(`[e2e] the public page showed "Degraded" ${Date.now() - downAt} ms after the stop`);
    await expect(pub.locator("#c-records .s")).toHaveText("Operational");
    await expect(pub.getByText("Some pages do not load; we are on it.")).toBeVisible();

    // The page's one <style> and <script> are fixed code, pinned by their hashes in the page's CSP
    // (a byte of page data in them would break the CSP check every test runs), so only the
    // document around them is searched: that is where names could appear.
    const html = (await pub.content()).replace(/<(script|style)>[\s\S]*?<\/\1>/g, "");
    expect(html).toContain("Portal partly unavailable");
    const json = await (await fetch(`${BASE}/status/${SLUG}/json`)).text();
    const feed = await (await fetch(`${BASE}/status/${SLUG}/feed.atom`)).text();
    expect(JSON.parse(json)).toMatchObject({
      components: [
        { name: "Records", status: "operational" },
        { name: "Portal", status: "degraded" },
      ],
      active: [{ title: "Portal partly unavailable", components: ["Portal"] }],
    });
    expect(feed).toContain("Some pages do not load; we are on it.");
    // The feed's own links name the server it was asked on; everything else must be public words.
    const feedBody = feed.replaceAll(BASE, "");
    for (const [what, body] of [
      ["html", html],
      ["json", json],
      ["feed", feedBody],
    ] as const)
      expect(body.match(INTERNAL)?.[0] ?? null, `${what} names something internal`).toBeNull();

    // The worker is back and the operator resolves the incident: the visitor's page follows.
    expect((await runAction("start", ["worker"])).result).toBe("succeeded");
    const update = item.getByRole("form", { name: "Update Portal partly unavailable" });
    await update.getByLabel("Status").selectOption("resolved");
    await update.getByLabel("Update").fill("All pages load again.");
    await update.getByRole("button", { name: "Add update" }).click();
    await expect(pub.locator("#c-portal .s")).toHaveText("Operational", { timeout: 20_000 });
    await expect(pub.getByRole("heading", { name: "Past incidents" })).toBeVisible({ timeout: 20_000 });
    await expect(pub.getByText("All pages load again.")).toBeVisible();
  } finally {
    await visitor.close();
  }

  // A report of this month for group "edge", shared by a signed link a visitor can open.
  const report = page.getByRole("form", { name: "Uptime report" });
  await report.getByLabel("Report target").selectOption("group:edge");
  await report.getByLabel("Month").fill(new Date().toISOString().slice(0, 7));
  await report.getByRole("button", { name: "Make report" }).click();
  const link = (await page.getByRole("link", { name: "Report page" }).getAttribute("href")) ?? "";
  expect(link).toMatch(/\/report\/[\w-]+\.[\w-]+$/);
  const reader = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const shown = await reader.newPage();
    await shown.goto(link);
    await expect(shown.getByRole("heading", { name: "Uptime report: group edge" })).toBeVisible();
    await expect(shown.getByRole("heading", { name: "Incidents" })).toBeVisible();
  } finally {
    await reader.close();
  }

  // The operator's REST view still knows the internal mapping (that is where it belongs).
  const pages = await getJson<{ pages: { slug: string; components: { ref: string }[] }[] }>(
    "/api/status-pages",
  );
  expect(pages.pages.find((p) => p.slug === SLUG)?.components.map((c) => c.ref)).toEqual(["data", "edge"]);
  expect(authHeaders().cookie).not.toBe("");
});
