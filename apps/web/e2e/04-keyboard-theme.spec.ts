import { STORAGE_STATE } from "../playwright.config";
import { expect, test } from "./helpers";
import { ensureStackHealthy } from "./stack";

test.beforeAll(ensureStackHealthy);

test("keyboard shortcuts navigate, / focuses search, ? opens help", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await page.keyboard.press("g");
  await page.keyboard.press("g");
  await expect(page).toHaveURL(/\/graph$/);
  await expect(page.getByRole("heading", { name: "Dependencies" })).toBeVisible();
  await page.keyboard.press("g");
  await page.keyboard.press("e");
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.getByRole("heading", { name: "Events and incidents" })).toBeVisible();
  await page.keyboard.press("g");
  await page.keyboard.press("b");
  await expect(page).toHaveURL(/\/$/);
  await page.keyboard.press("/");
  await expect(page.getByRole("searchbox", { name: "Search services" })).toBeFocused();
  await page.keyboard.press("Escape");
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();
});

test("the theme follows prefers-color-scheme, toggles, and is remembered", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark", storageState: STORAGE_STATE });
  try {
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveClass(/dark/);
    // A click before hydration reaches a button with no handler yet and is lost (seen once in CI):
    // a live connection badge means the page is hydrated.
    await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
    await page.getByTestId("theme-toggle").click();
    await expect(page.locator("html")).not.toHaveClass(/dark/);
    await page.reload();
    await expect(page.locator("html")).not.toHaveClass(/dark/);
  } finally {
    await context.close();
  }
});

test("compact mode is kept in the URL", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("dense-toggle").click();
  await expect(page).toHaveURL(/dense=1/);
  await page.reload();
  await expect(page.getByTestId("dense-toggle")).toHaveAttribute("aria-pressed", "true");
});
