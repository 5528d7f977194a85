import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type FullConfig, request } from "@playwright/test";
import { STORAGE_STATE } from "../playwright.config";

/**
 * Signs in as the e2e admin (created at boot from VIGIL_ADMIN_USER/_PASSWORD) through the real
 * sign-in endpoint, with its CSRF token, and saves the cookies for every test.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const base = config.projects[0]?.use.baseURL;
  if (!base) throw new Error("no baseURL");
  const api = await request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
  try {
    const session = (await (await api.get("/api/auth/session")).json()) as { csrfToken: string };
    const res = await api.post("/api/auth/login", {
      data: { username: process.env.VIGIL_E2E_USER, password: process.env.VIGIL_E2E_PASSWORD },
      headers: { "x-csrf-token": session.csrfToken },
    });
    if (!res.ok()) throw new Error(`e2e sign-in failed: HTTP ${res.status()} ${await res.text()}`);
    mkdirSync(dirname(STORAGE_STATE), { recursive: true });
    await api.storageState({ path: STORAGE_STATE });
  } finally {
    await api.dispose();
  }
}
