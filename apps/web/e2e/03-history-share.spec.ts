import type { HistoryResponse } from "../lib/contract";
import { STORAGE_STATE } from "../playwright.config";
import { expect, getJson, screenshotBothThemes, test } from "./helpers";
import { ensureHistory, ensureStackHealthy } from "./stack";

test.beforeAll(async () => {
  await ensureStackHealthy();
  await ensureHistory("store");
});

test("the service page chart shows stored points for a chosen range", async ({ page }) => {
  await page.goto("/services/store?range=15m");
  await expect(page.getByRole("heading", { name: "store" })).toBeVisible();
  const chart = page.getByTestId("latency-chart");
  await expect(chart).toBeVisible({ timeout: 15_000 });
  const from = await page.getByTestId("window-from").getAttribute("datetime");
  const to = await page.getByTestId("window-to").getAttribute("datetime");
  expect(from).toMatch(/\+00:00$/);
  // The chart plots what the history API (Postgres) holds for the same window.
  const history = await getJson<HistoryResponse>(
    `/api/history?service=store&from=${encodeURIComponent(from ?? "")}&to=${encodeURIComponent(to ?? "")}`,
  );
  expect(history.points.length).toBeGreaterThan(0);
  // The window slides (new results keep arriving), so the chart holds at least one stored point.
  // Checked in the browser (one retrying assertion), not by polling getAttribute from here: on a
  // machine at load 25+ a single getAttribute round trip took 7.5 s and used up the 10 s poll
  // although the chart showed 236 points (issue 19, the suite under load).
  await expect(chart).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 30_000 });
  await expect(page.getByTestId("range-uptime")).not.toHaveText("…", { timeout: 30_000 });

  // Choosing another preset puts it in the URL and changes the window.
  await page.getByRole("button", { name: "1 h", exact: true }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByTestId("latency-chart")).toBeVisible();
  await screenshotBothThemes(page, "service", { fullPage: true });
});

test("a copied link opened in another time zone shows the same absolute window", async ({
  page,
  browser,
}) => {
  await page.goto("/services/store?range=1h");
  await page.getByTestId("copy-link").click();
  const url = await page.getByTestId("share-url").inputValue();
  expect(url).toMatch(/from=[^&]+(%2B|\+)00(:|%3A)00/);
  expect(url).not.toContain("range=");
  // The frozen window is the one in the link: the page behind it keeps sliding ("last 1 h").
  const frozen = new URL(url).searchParams;
  const from = Date.parse(frozen.get("from") ?? "");
  const to = Date.parse(frozen.get("to") ?? "");
  expect(to - from).toBe(3_600_000);
  const shownHere = await page.getByTestId("window-from").textContent();

  // A colleague elsewhere: signed in too, but another browser context and time zone.
  const tokyo = await browser.newContext({
    timezoneId: "Asia/Tokyo",
    locale: "ja-JP",
    storageState: STORAGE_STATE,
  });
  try {
    const other = await tokyo.newPage();
    // A day later the link must show the same window: it holds instants, not "last 1 h".
    await other.goto(url);
    const instant = async (id: string) =>
      Date.parse((await other.getByTestId(id).getAttribute("datetime")) ?? "");
    await expect.poll(() => instant("window-from")).toBe(from);
    await expect.poll(() => instant("window-to")).toBe(to);
    // Rendered in the viewer's zone (Tokyo is 8 h ahead of Berlin in November), zone shown.
    await expect(other.getByTestId("window-from")).not.toHaveText(shownHere ?? "");
    await expect(other.getByText(/Times in Asia\/Tokyo \(UTC\+09:00\)/)).toBeVisible();
    await expect(other.getByRole("button", { name: "Custom" })).toHaveAttribute("aria-pressed", "true");
  } finally {
    await tokyo.close();
  }
});

test("a read-only link opens the same window for someone not signed in, without live data or actions", async ({
  page,
  browser,
}) => {
  // An absolute window, so the page behind the link does not slide while the link is made.
  const to = Math.floor(Date.now() / 1000) * 1000;
  const from = to - 15 * 60_000;
  const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString().replace("Z", "+00:00"));
  await page.goto(`/services/store?from=${iso(from)}&to=${iso(to)}`);
  await expect(page.getByTestId("latency-chart")).toBeVisible({ timeout: 15_000 });
  await page.getByTestId("share-link").click();
  await expect(page.getByTestId("share-url")).toHaveValue(/\/share\//);
  const url = await page.getByTestId("share-url").inputValue();

  // Explicitly empty: contexts made in a test inherit the signed-in storage state otherwise.
  const stranger = await browser.newContext({
    timezoneId: "America/New_York",
    storageState: { cookies: [], origins: [] },
  });
  try {
    const other = await stranger.newPage();
    await other.goto(url);
    await expect(other).toHaveURL(/\/services\/store\?from=/);
    const instant = async (id: string) =>
      Date.parse((await other.getByTestId(id).getAttribute("datetime")) ?? "");
    await expect.poll(() => instant("window-from")).toBe(from);
    await expect.poll(() => instant("window-to")).toBe(to);
    await expect(other.getByTestId("latency-chart")).toBeVisible();
    await expect(other.getByTestId("connection")).toHaveAttribute("data-state", "off");
    // Name and kind only: no live status, no checks, no actions (issue 19, finding 3).
    await expect(other.getByTestId("shared-header")).toContainText("store");
    await expect(other.getByTestId("service-header")).toHaveCount(0);
    await expect(other.getByRole("button", { name: "Restart store" })).toHaveCount(0);
    // Nothing else is reachable with the link.
    const board = await other.goto("/");
    expect(board?.status()).toBe(403);
  } finally {
    await stranger.close();
  }
});
