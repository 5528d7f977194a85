import { expect, portProcessPid, screenshotBothThemes, test, waitForStatus } from "./helpers";
import { ensureStackHealthy } from "./stack";

test.describe.configure({ mode: "serial" });

test.beforeAll(ensureStackHealthy);

test("a service killed from outside turns red within its check interval; dependents turn blocked", async ({
  page,
}) => {
  await waitForStatus(["api", "web", "worker"], "healthy");
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  const api = page.locator('[data-testid=tile][data-service="api"]');
  await expect(api).toHaveAttribute("data-status", "healthy");

  // Kill the process listening on api's port (its worker), as a crash would.
  const pid = await portProcessPid(Number(`${process.env.E2E_PORT_PREFIX ?? "176"}61`));
  const killedAt = Date.now();
  process.kill(pid, "SIGKILL");

  // Interval 1 s, failure_threshold 1: red within one interval plus a probe timeout, no reload.
  await expect(api).toHaveAttribute("data-status", "unhealthy", { timeout: 4000 });
  const redAfter = Date.now() - killedAt;
  console.log(`[e2e] api turned red ${redAfter} ms after the kill`);
  await expect(api).toContainText("unhealthy");
  for (const name of ["web", "worker"]) {
    const tile = page.locator(`[data-testid=tile][data-service="${name}"]`);
    await expect(tile).toHaveAttribute("data-status", "blocked");
    await expect(tile).toContainText("blocked by api");
  }
  // The cause is spelled out above the tiles.
  await expect(page.getByTestId("board-root-causes")).toContainText(/api\s*is unhealthy/);
  await expect(page.getByTestId("board-root-causes")).toContainText("blocking web, worker");
  await expect(page.getByTestId("count-unhealthy")).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("count-blocked")).toHaveAttribute("data-count", "2");
  await screenshotBothThemes(page, "board-outage", { fullPage: true });

  // The graph names the root cause.
  await page.getByRole("link", { name: "Graph" }).click();
  await expect(page.getByTestId("root-causes")).toContainText("api");
  await expect(page.locator('[data-testid=node][data-service="api"]')).toHaveAttribute(
    "data-root-cause",
    "true",
  );
  await screenshotBothThemes(page, "graph-outage");
});

test("restart with confirmation brings it back, with progress and result", async ({ page }) => {
  await page.goto("/services/api");
  await expect(page.getByTestId("service-header")).toHaveAttribute("data-status", "unhealthy");
  await page.getByTestId("service-header").getByRole("button", { name: "Restart api" }).click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toContainText("Restart api?");
  await expect(dialog).toContainText(/also affects: .*web/i);
  await expect(dialog).toContainText("worker");
  await dialog.getByTestId("confirm-action").click();

  const card = page.getByTestId("action-dock").getByTestId("action-card").first();
  await expect(card).toContainText("Restart api");
  await expect(card.getByTestId("timeline").locator('[data-service="api"]')).toBeVisible();
  await expect(card).toHaveAttribute("data-result", "succeeded", { timeout: 30_000 });
  await expect(card.getByTestId("action-result")).toBeVisible();

  await expect(page.getByTestId("service-header")).toHaveAttribute("data-status", "healthy", {
    timeout: 10_000,
  });
  await page.goto("/");
  for (const name of ["api", "web", "worker"]) {
    await expect(page.locator(`[data-testid=tile][data-service="${name}"]`)).toHaveAttribute(
      "data-status",
      "healthy",
      {
        timeout: 10_000,
      },
    );
  }
});

test("events list the transitions and link to the service at that moment", async ({ page }) => {
  await page.goto("/events?service=api&type=status");
  const event = page.getByTestId("event").filter({ hasText: "unhealthy" }).first();
  await expect(event).toBeVisible();
  await event.getByRole("link", { name: "api" }).click();
  await expect(page).toHaveURL(/\/services\/api\?from=.*&to=/);
  await expect(page.getByTestId("window-from")).toBeVisible();
});
