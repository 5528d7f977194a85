import type { Page } from "@playwright/test";
import { authHeaders, BASE, cspViolations, expect, test } from "./helpers";

/*
 * Sign-in through the real page, the strict CSP, and roles end to end: a viewer is refused a
 * restart (403) and the admin sees that refusal in the audit log on the events page.
 */

/**
 * The page's server-rendered HTML: no style attribute anywhere (the CSP refuses them), and any
 * <style> element carries this response's nonce. Returns the CSP the page was sent with.
 */
async function expectNoInlineStyles(page: Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status(), path).toBe(200);
  const csp = res.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, path).toBeTruthy();
  const html = await res.text();
  expect(html.match(/<[a-z][^>]*\sstyle=["']/gi) ?? [], `style attributes in ${path}`).toEqual([]);
  for (const tag of html.match(/<style\b[^>]*>/gi) ?? []) expect(tag, path).toContain(`nonce="${nonce}"`);
  return csp;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("the sign-in page refuses a wrong password, signs in, and every page hydrates under the nonce CSP", async ({
  browser,
}) => {
  // Explicitly empty: contexts otherwise inherit the signed-in storageState of the project.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const violations = cspViolations(context);
    const page = await context.newPage();
    const first = await page.goto("/graph");
    await expect(page).toHaveURL(/\/login\?next=%2Fgraph$/);
    const csp = first?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toMatch(/style-src-elem 'self' 'nonce-[^']+'(;|$)/);
    expect(csp).toMatch(/style-src-attr 'none'(;|$)/);
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The sign-in form rendered: its client code ran under this CSP.
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    expect(await expectNoInlineStyles(page, "/login")).toContain("style-src-attr 'none'");
    await signIn(page, process.env.VIGIL_E2E_USER ?? "", "not the password");
    await expect(page.getByText("wrong username or password")).toBeVisible();
    await signIn(page, process.env.VIGIL_E2E_USER ?? "", process.env.VIGIL_E2E_PASSWORD ?? "");
    await expect(page).toHaveURL(/\/graph$/);
    const pages: [path: string, ready: string][] = [
      ["/", "tile"],
      ["/?dense=1", "tile"],
      ["/graph", "node"],
      ["/events", "audit-list"],
      // The Recharts latency chart, drawn in the browser after hydration.
      ["/services/api", "latency-chart"],
    ];
    for (const [path, ready] of pages) {
      await expectNoInlineStyles(page, path);
      await page.goto(path);
      // Hydrated: the socket-fed badge went live, which only client code can do.
      await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live", { timeout: 15_000 });
      await expect(page.getByTestId(ready).first()).toBeVisible({ timeout: 15_000 });
    }
    expect(violations).toEqual([]);
  } finally {
    await context.close();
  }
});

test("a viewer's restart is refused with 403 and the events page shows it in the audit log", async ({
  browser,
  page,
}) => {
  const created = await fetch(`${BASE}/api/users`, {
    method: "POST",
    headers: { ...authHeaders(), "content-type": "application/json" },
    body: JSON.stringify({ username: "e2e-viewer", role: "viewer", password: "viewer password 1" }),
  });
  expect([201, 409]).toContain(created.status);
  // Explicitly empty: contexts otherwise inherit the signed-in storageState of the project.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const viewer = await context.newPage();
    await viewer.goto("/services/api");
    await signIn(viewer, "e2e-viewer", "viewer password 1");
    await expect(viewer).toHaveURL(/\/services\/api$/);
    await expect(viewer.getByTestId("user")).toContainText("viewer");
    const csrf = (await context.cookies()).find((c) => c.name === "vigil_csrf")?.value ?? "";
    const refused = await viewer.request.post(`${BASE}/api/actions`, {
      data: { kind: "restart", targets: ["api"] },
      headers: { "x-csrf-token": decodeURIComponent(csrf), origin: BASE },
    });
    expect(refused.status()).toBe(403);
  } finally {
    await context.close();
  }
  await page.goto("/events");
  const row = page.getByTestId("audit-list").getByRole("row").filter({ hasText: "e2e-viewer" }).first();
  await expect(row).toContainText("action.run");
  await expect(row).toContainText("denied");
});
