import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, test as base, expect, type Page } from "@playwright/test";
import type { ActionView, ServicesResponse } from "../lib/contract";
import { STORAGE_STATE } from "../playwright.config";

const here = dirname(fileURLToPath(import.meta.url));
export const SHOTS = join(here, "screenshots");
const CHROMIUM = process.env.VIGIL_E2E_CHROMIUM ?? "/usr/bin/chromium";

/** Chromium's console report of anything the page CSP refused (a script, a style, a connection). */
const CSP_REPORT = /Content Security Policy|Refused to (execute|load|apply|connect)/i;

/** Collects the CSP violations of every page in `context`, for the rest of its life. */
export function cspViolations(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on("console", (msg) => {
    if (CSP_REPORT.test(msg.text())) seen.push(`${msg.page()?.url() ?? "?"}: ${msg.text()}`);
  });
  return seen;
}

/**
 * Skips (locally only) when Chromium is missing; under CI the config already failed the run.
 * Every test's own browser context must end without a CSP violation, whatever pages it visited.
 */
export const test = base.extend<{ chromiumPresent: undefined; cspClean: undefined }>({
  chromiumPresent: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here
    async ({}, use, info) => {
      info.skip(!existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM}`);
      await use(undefined);
    },
    { auto: true },
  ],
  cspClean: [
    async ({ chromiumPresent, context }, use) => {
      const violations = cspViolations(context);
      await use(chromiumPresent);
      expect(violations, "CSP violations reported by Chromium").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const BASE = `http://127.0.0.1:${process.env.VIGIL_E2E_PORT ?? 3951}`;
export const SERVICES = ["store", "cache", "redis", "api", "search", "web", "worker"];
export const MANAGED = SERVICES.filter((s) => s !== "redis");

/** The signed-in cookies of global-setup.ts as request headers, with the session's CSRF token. */
export function authHeaders(): Record<string, string> {
  const state = JSON.parse(readFileSync(STORAGE_STATE, "utf8")) as {
    cookies: { name: string; value: string }[];
  };
  const csrf = state.cookies.find((c) => c.name === "vigil_csrf")?.value ?? "";
  return {
    cookie: state.cookies.map((c) => `${c.name}=${c.value}`).join("; "),
    "x-csrf-token": csrf,
    origin: BASE,
  };
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${BASE}${path}`, { headers: authHeaders(), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function services(): Promise<ServicesResponse> {
  return getJson<ServicesResponse>("/api/services");
}

/** Runs an action through the REST API and waits until it finished. */
export async function runAction(kind: "start" | "stop", targets: string[] = []): Promise<ActionView> {
  const res = await fetch(`${BASE}/api/actions`, {
    method: "POST",
    headers: { ...authHeaders(), "content-type": "application/json" },
    body: JSON.stringify({ kind, targets }),
  });
  if (res.status !== 202) throw new Error(`POST /api/actions: HTTP ${res.status} ${await res.text()}`);
  const { actionId } = (await res.json()) as { actionId: string };
  return waitForAction(actionId);
}

export async function waitForAction(id: string, timeoutMs = 60_000): Promise<ActionView> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const a = await getJson<ActionView>(`/api/actions/${id}`);
    if (a.result !== "running") return a;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`action ${id} still running after ${timeoutMs} ms`);
}

/** Polls the API until every named service has the wanted status. */
export async function waitForStatus(names: string[], status: string, timeoutMs = 30_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const all = (await services()).services;
        return names.filter((n) => all.find((s) => s.name === n)?.status !== status);
      },
      { timeout: timeoutMs, intervals: [250, 500, 1000] },
    )
    .toEqual([]);
}

/** Saves `<name>-light.png` and `<name>-dark.png` of the current page. */
export async function screenshotBothThemes(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => {
      document.documentElement.classList.toggle("dark", t === "dark");
      localStorage.setItem("vigil-theme", t);
    }, theme);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, `${name}-${theme}.png`), fullPage: opts.fullPage ?? false });
  }
}

/** The pid of the process listening on a fixture service's port (its worker). */
export async function portProcessPid(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/pid`, { signal: AbortSignal.timeout(3000) });
  const { pid } = (await res.json()) as { pid: number };
  return pid;
}
