import { expect, test } from "./helpers";
import { ensureStackHealthy } from "./stack";

test.beforeAll(ensureStackHealthy);

test("a check's value shows on its tile and as a chart beside latency on the service page", async ({
  page,
}) => {
  await page.goto("/");
  const tile = page.locator('[data-testid=tile][data-service="redis"]');
  await expect(tile.getByTestId("tile-values")).toHaveText("value 3");
  await tile.getByRole("link", { name: "redis" }).click();
  await expect(page).toHaveURL(/\/services\/redis/);
  await expect(page.getByTestId("latency-chart")).toBeVisible();
  const chart = page.getByTestId("value-chart");
  await expect(chart).toHaveAttribute("data-value", "value");
  await expect(chart).toContainText("value · check rows");
  await expect(chart).toContainText("last 3");
  await expect.poll(async () => Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
});
