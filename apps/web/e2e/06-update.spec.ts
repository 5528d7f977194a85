import type { WebSocketRoute } from "@playwright/test";
import { expect, test } from "./helpers";

/*
 * A tab left open while Vigil is updated: the server's snapshot is in a format the page's code
 * does not know. The page reloads once to fetch matching code; if that does not help, it says so
 * instead of sitting on "connecting…" or showing old values as live. The server here is the real
 * one; only the snapshot's format number is changed on its way to the page.
 */

/** Passes the real socket through; while `altered()`, with the snapshot's format number unknown. */
const newerServer = (altered: () => boolean) => (ws: WebSocketRoute) => {
  const server = ws.connectToServer();
  ws.onMessage((message) => server.send(message));
  server.onMessage((message) => {
    if (altered() && typeof message === "string" && message.startsWith('42["snapshot",')) {
      const [name, payload] = JSON.parse(message.slice(2)) as [string, { format: number }];
      ws.send(`42${JSON.stringify([name, { ...payload, format: 9999 }])}`);
      return;
    }
    ws.send(message);
  });
};

test("a page older than the server reloads once, then says Vigil was updated instead of showing stale values as live", async ({
  page,
}) => {
  let loads = 0;
  let altered = true;
  page.on("load", () => loads++);
  await page.routeWebSocket(
    /\/socket\.io\//,
    newerServer(() => altered),
  );
  await page.goto("/");

  const notice = page.getByTestId("outdated-notice");
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await expect(notice).toContainText("Vigil was updated");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "outdated");
  await expect(page.getByTestId("connection")).toHaveText("Vigil was updated · reload");
  // Exactly one automatic reload: a mismatch that a reload does not cure must not loop.
  expect(loads).toBe(2);
  await page.waitForTimeout(2000);
  expect(loads).toBe(2);

  // Once the page's code and the server agree again (here: the socket is no longer altered), the
  // Reload button brings the board back live.
  altered = false;
  await notice.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("outdated-notice")).toHaveCount(0);
});
