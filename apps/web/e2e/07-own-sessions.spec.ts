import type { Browser, BrowserContext } from "@playwright/test";
import { authHeaders, BASE, expect, test } from "./helpers";

/*
 * The Account page's session list: the same user signed in from two browsers; one signs the
 * other out, and the other's next navigation lands on sign-in. A user of its own, so the
 * suite's shared session (global-setup.ts) is never among the sessions signed out.
 */
const USER = "e2e-sessions";
const PASSWORD = "sessions password 1";

async function signedIn(browser: Browser, userAgent: string): Promise<BrowserContext> {
  // Explicitly empty: contexts otherwise inherit the signed-in storageState of the project.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, userAgent });
  const page = await context.newPage();
  await page.goto("/account");
  await page.getByLabel("Username").fill(USER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  return context;
}

test("one browser signs the same user's other browser out from the Account page", async ({ browser }) => {
  const created = await fetch(`${BASE}/api/users`, {
    method: "POST",
    headers: { ...authHeaders(), "content-type": "application/json" },
    body: JSON.stringify({ username: USER, role: "viewer", password: PASSWORD }),
  });
  expect([201, 409]).toContain(created.status);
  const laptop = await signedIn(browser, "Vigil-e2e laptop");
  const phone = await signedIn(browser, "Vigil-e2e phone");
  try {
    const page = laptop.pages()[0];
    if (!page) throw new Error("the laptop context has no page");
    await page.reload();
    const rows = page.getByTestId("own-session");
    const mine = rows.filter({ hasText: "this session" });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText("Vigil-e2e laptop");
    const other = rows.filter({ hasText: "Vigil-e2e phone" });
    await expect(other).toHaveCount(1);
    await other.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Signed out" })).toHaveText(
      "Signed out 1 session.",
    );
    await expect(rows.filter({ hasText: "Vigil-e2e phone" })).toHaveCount(0);
    await expect(mine).toHaveCount(1);

    const phonePage = phone.pages()[0];
    if (!phonePage) throw new Error("the phone context has no page");
    await phonePage.goto("/services/api");
    await expect(phonePage).toHaveURL(/\/login\?next=%2Fservices%2Fapi$/);
    // The laptop is still signed in.
    await page.goto("/account");
    await expect(page).toHaveURL(/\/account$/);
  } finally {
    await laptop.close();
    await phone.close();
  }
});
