import {
  expect,
  MANAGED,
  runAction,
  SERVICES,
  screenshotBothThemes,
  services,
  test,
  waitForStatus,
} from "./helpers";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  // A clean slate: whatever a previous run left running (and this Vigil adopted) is stopped.
  const running = (await services()).services.filter(
    (s) => s.kind !== "external" && s.runtimeState !== "stopped",
  );
  if (running.length > 0) await runAction("stop");
  await waitForStatus(MANAGED, "stopped");
});

test("start all: the startup timeline shows waves as lanes, a bar per service, then the result", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  for (const name of MANAGED) {
    await expect(page.locator(`[data-testid=tile][data-service="${name}"]`)).toHaveAttribute(
      "data-status",
      "stopped",
    );
  }

  await page.getByTestId("start-all").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Start the whole stack?");
  // Records every state the action card renders: on a busy machine the whole run can finish
  // between two of the assertions below, and "progress was shown live" must not depend on timing.
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { seenStates: Set<string> }).seenStates = seen;
    const record = () => {
      const card = document.querySelector("[data-testid=action-dock] [data-testid=action-card]");
      if (!card) return;
      seen.add(`card:${card.getAttribute("data-result")}`);
      for (const row of card.querySelectorAll("[data-testid=timeline] [data-service]"))
        seen.add(`${row.getAttribute("data-service")}:${row.getAttribute("data-state")}`);
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await dialog.getByTestId("confirm-action").click();

  const card = page.getByTestId("action-dock").getByTestId("action-card").first();
  await expect(card).toBeVisible();
  const timeline = card.getByTestId("timeline");
  // Three waves, one lane each, every managed service has a row.
  await expect(timeline.locator("section")).toHaveCount(3);
  for (const name of MANAGED) await expect(timeline.locator(`[data-service="${name}"]`)).toBeVisible();
  if ((await card.getAttribute("data-result")) === "running")
    await screenshotBothThemes(page, "timeline-running");

  await expect(card).toHaveAttribute("data-result", "succeeded", { timeout: 45_000 });
  // Live progress: the card showed the run going on, and a service of the last wave was seen
  // before it was done (planned, waiting for its dependencies, or starting).
  const seen = await page.evaluate(() => [...(window as unknown as { seenStates: Set<string> }).seenStates]);
  expect(seen).toContain("card:running");
  expect(seen.filter((s) => /^(web|worker):(planned|waiting|starting)$/.test(s))).not.toEqual([]);
  await expect(card.getByTestId("action-result")).not.toHaveText(/…$/);
  for (const name of MANAGED) {
    await expect(timeline.locator(`[data-service="${name}"]`)).toHaveAttribute(
      "data-state",
      /healthy|started/,
    );
  }
  await screenshotBothThemes(page, "timeline");
});

test("the board shows every service with the right status and the counts match the tiles", async ({
  page,
}) => {
  await waitForStatus(SERVICES, "healthy");
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  const tiles = page.getByTestId("tile");
  await expect(tiles).toHaveCount(SERVICES.length);
  for (const name of SERVICES) {
    const tile = page.locator(`[data-testid=tile][data-service="${name}"]`);
    await expect(tile).toHaveAttribute("data-status", "healthy");
    await expect(tile).toContainText("healthy");
  }
  // The first paint already carries every status: the board is server-rendered with the viewer's session.
  const html = await (await page.request.get("/")).text();
  for (const name of SERVICES) expect(html).toContain(`data-service="${name}" data-status="healthy"`);
  // Groups in wave order.
  await expect(page.getByTestId("group")).toHaveText([/data/i, /core/i, /edge/i]);
  // The external service offers no start/stop.
  await expect(
    page.locator('[data-testid=tile][data-service="redis"]').getByRole("button", { name: /start|stop/i }),
  ).toHaveCount(0);

  // Header counts equal the number of tiles per status, for every status.
  for (const status of [
    "healthy",
    "degraded",
    "unhealthy",
    "host-unreachable",
    "blocked",
    "starting",
    "stopped",
    "unknown",
  ]) {
    const shown = await page.locator(`[data-testid=tile][data-status="${status}"]`).count();
    await expect(page.getByTestId(`count-${status}`)).toHaveAttribute("data-count", String(shown));
  }

  // Filter by status from the header and search with "/": the URL keeps both.
  await page.getByTestId("count-healthy").click();
  await expect(page).toHaveURL(/status=healthy/);
  await page.keyboard.press("/");
  await page.keyboard.type("sea");
  await expect(tiles).toHaveCount(1);
  await expect(page).toHaveURL(/q=sea/);
  await page.goto("/?dense=1");
  await expect(page.getByTestId("tile")).toHaveCount(SERVICES.length);
  await page.goto("/");
  await expect(page.getByTestId("tile").first()).toBeVisible();
  await screenshotBothThemes(page, "board", { fullPage: true });
});

test("time to the first live status", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  const ms = Number(await page.getByTestId("connection").getAttribute("data-first-snapshot-ms"));
  test.info().annotations.push({ type: "first-live-status-ms", description: String(ms) });
  console.log(`[e2e] first live status after ${ms} ms (navigation start → socket snapshot applied)`);
  expect(ms).toBeGreaterThan(0);
  expect(ms).toBeLessThan(5000);
});
