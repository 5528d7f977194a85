import { authHeaders, BASE, expect, test } from "./helpers";

/*
 * Issue 19, finding 1: the events page's audit section is paged, so entries pushed off the newest
 * 100 stay reachable through "Older" (the server's cursor), and "Newest" comes back.
 */

test("the audit list pages back past the newest 100 entries and forward again", async ({ page }) => {
  // 105 audited, rejected requests with distinct targets (share links for unknown services).
  for (let i = 0; i < 105; i++) {
    const res = await fetch(`${BASE}/api/shares`, {
      method: "POST",
      headers: { ...authHeaders(), "content-type": "application/json" },
      body: JSON.stringify({
        service: `paging-${i}`,
        from: "2026-01-01T00:00:00Z",
        to: "2026-01-02T00:00:00Z",
      }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(400);
  }
  await page.goto("/events");
  const list = page.getByTestId("audit-list");
  await expect(list.getByRole("cell", { name: "paging-104", exact: true })).toBeVisible();
  await expect(list.getByRole("cell", { name: "paging-0", exact: true })).toHaveCount(0);

  await page.getByTestId("audit-older").click();
  await expect(list.getByRole("cell", { name: "paging-0", exact: true })).toBeVisible();
  await expect(list.getByRole("cell", { name: "paging-104", exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Newest" }).click();
  await expect(list.getByRole("cell", { name: "paging-104", exact: true })).toBeVisible();
});
