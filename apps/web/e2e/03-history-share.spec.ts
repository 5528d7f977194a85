import type { HistoryResponse } from "../lib/contract";
import { STORAGE_STATE } from "../playwright.config";
import { expect, getJson, screenshotBothThemes, test } from "./helpers";

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
  // The window slides (new results keep arriving), so the chart holds at least what was stored.
  await expect
    .poll(async () => Number(await chart.getAttribute("data-points")))
    .toBeGreaterThanOrEqual(Math.min(history.points.length, 1));
  await expect(page.getByTestId("range-uptime")).not.toHaveText("…");

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
  const from = await page.getByTestId("window-from").getAttribute("datetime");
  const to = await page.getByTestId("window-to").getAttribute("datetime");
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
    await expect(other.getByTestId("window-from")).toHaveAttribute("datetime", from ?? "");
    await expect(other.getByTestId("window-to")).toHaveAttribute("datetime", to ?? "");
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
  await page.goto("/services/store?range=15m");
  await page.getByTestId("copy-link").click();
  const from = await page.getByTestId("window-from").getAttribute("datetime");
  const to = await page.getByTestId("window-to").getAttribute("datetime");
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
    await expect(other.getByTestId("window-from")).toHaveAttribute("datetime", from ?? "");
    await expect(other.getByTestId("window-to")).toHaveAttribute("datetime", to ?? "");
    await expect(other.getByTestId("latency-chart")).toBeVisible();
    await expect(other.getByTestId("connection")).toHaveAttribute("data-state", "off");
    await expect(other.getByRole("button", { name: "Restart store" })).toBeDisabled();
    // Nothing else is reachable with the link.
    const board = await other.goto("/");
    expect(board?.status()).toBe(403);
  } finally {
    await stranger.close();
  }
});
