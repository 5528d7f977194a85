import { createRequire } from "node:module";
import path from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../apps/web/e2e/chromium.ts";
import { repoRoot } from "./paths.ts";

/*
 * Chromium through the Playwright that apps/web installs (/usr/bin/chromium; never a downloaded
 * browser). Playwright's types do not resolve through pnpm's links from bench/, so the few calls
 * used here are described structurally.
 */

export interface Page {
  addInitScript(script: string): Promise<void>;
  goto(url: string, opts: { waitUntil: "commit" | "load"; timeout: number }): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
  focus(selector: string): Promise<void>;
  keyboard: { press(key: string): Promise<void> };
}
export interface CdpSession {
  send<T>(method: string, params?: Record<string, unknown>): Promise<T>;
}
export interface BrowserContext {
  newPage(): Promise<Page>;
  newCDPSession(page: Page): Promise<CdpSession>;
  addCookies(cookies: { name: string; value: string; url: string }[]): Promise<void>;
  close(): Promise<void>;
}
export interface Browser {
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(opts: { executablePath: string; args: string[]; headless: boolean }): Promise<Browser> };
}

export function launchChromium(): Promise<Browser> {
  const require = createRequire(path.join(repoRoot, "apps", "web", "package.json"));
  const playwright = require("@playwright/test") as Playwright;
  return playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
