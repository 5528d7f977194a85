import { authHeaders, BASE, expect, test } from "./helpers";
import { ensureHistory, ensureStackHealthy } from "./stack";

/*
 * Issue 19 in a real browser against the real server: the service chart under a slow server,
 * the sign-in redirect, and bad input that used to be a 500.
 */

test.beforeAll(async () => {
  await ensureStackHealthy();
  await ensureHistory("store");
});

test("the chart draws even when every history answer takes longer than the window's step", async ({
  page,
}) => {
  // A loaded server: each /api/history answer arrives 9 s late, longer than the 15 m window's
  // 7.5 s slide. The page used to cancel each request when the window slid and start over, so it
  // never drew (issue 19's "suite under load" failure, a real bug for users of a busy host).
  let delayed = 0;
  let aborted = 0;
  page.on("requestfailed", (r) => {
    if (new URL(r.url()).pathname === "/api/history") aborted++;
  });
  await page.route(
    (url) => url.pathname === "/api/history",
    async (route) => {
      delayed++;
      await new Promise((r) => setTimeout(r, 9_000));
      await route.continue().catch(() => undefined);
    },
  );
  await page.goto("/services/store?range=15m");
  const chart = page.getByTestId("latency-chart");
  await expect(chart).toBeVisible({ timeout: 40_000 });
  expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
  expect(delayed).toBeGreaterThan(0);
  // And it stays drawn while the next slow answers are on their way, none of them abandoned.
  await page.waitForTimeout(10_000);
  await expect(chart).toBeVisible();
  expect(aborted).toBe(0);
});

test("sign-in's next never leaves the site, however it is spelt", async ({ page }) => {
  // Signed in already (storage state): the login page forwards at once to `next` when it is safe.
  for (const next of [
    "/%09/evil.example/",
    "/%0a/evil.example/",
    "/%0d/evil.example/",
    "/%5Cevil.example/",
    "//evil.example/",
    "/%5C/evil.example/",
  ]) {
    await page.goto(`/login?next=${next}`);
    await page.waitForURL((url) => url.pathname !== "/login", { timeout: 15_000 });
    expect(new URL(page.url()).origin, next).toBe(BASE);
  }
  await page.goto("/login?next=%2Fgraph");
  await page.waitForURL(/\/graph$/, { timeout: 15_000 });
});

test("repeated or malformed input is a clear 4xx, never a 500", async ({ request }) => {
  const headers = authHeaders();
  const twice = await request.get("/login?next=a&next=b", { headers });
  expect(twice.status()).toBe(200);
  const percent = await request.get("/services/%25", { headers });
  expect(percent.status()).toBe(404);
  const badPercent = await request.get("/services/%E0%A4%A", { headers });
  expect(badPercent.status()).toBeGreaterThanOrEqual(400);
  expect(badPercent.status()).toBeLessThan(500);
  const yearZero = await request.get(
    "/api/history?service=store&from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
    { headers },
  );
  expect(yearZero.status()).toBe(400);
  const decade = await request.get(
    "/api/history?service=store&from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&resolution=raw",
    { headers },
  );
  expect(decade.status()).toBe(400);
});
