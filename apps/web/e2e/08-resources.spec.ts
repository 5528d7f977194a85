import { expect, test } from "./helpers";
import { ensureStackHealthy } from "./stack";

test.beforeAll(ensureStackHealthy);

test("a process service's CPU and memory show on its tile and as charts beside latency", async ({ page }) => {
  await page.goto("/");
  const tile = page.locator('[data-testid=tile][data-service="store"]');
  // One sample per 5 s: the bars appear with the first one.
  await expect(tile.getByTestId("tile-resources")).toBeVisible({ timeout: 20_000 });
  await expect(tile.getByTestId("tile-resources").locator("[data-value=memory_bytes]")).toContainText(
    /MiB|KiB/,
  );
  await tile.getByRole("link", { name: "store" }).click();
  await expect(page).toHaveURL(/\/services\/store/);
  const panel = page.getByTestId("resources");
  await expect(panel).not.toContainText("No data", { timeout: 20_000 });
  await expect(panel.getByTestId("fds-threads")).toBeVisible();
  // Stored samples come back through the history API: charts under the latency chart. Each reload
  // fetches the window again; the chart is awaited after it (a loaded server answers in seconds,
  // so counting right after the reload would only ever see "Loading history…").
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("resource-charts").locator('[data-value="memory_bytes"]')).toHaveCount(1, {
      timeout: 15_000,
    });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  const memory = page.getByTestId("resource-charts").locator('[data-value="memory_bytes"]');
  await expect(memory).toContainText("memory bytes");
  await expect.poll(async () => Number(await memory.getAttribute("data-points"))).toBeGreaterThan(0);
});
