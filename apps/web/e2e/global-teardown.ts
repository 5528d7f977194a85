import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FullConfig } from "@playwright/test";
import { authHeaders } from "./helpers";

const webDir = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Runs while the server is still up (Playwright stops webServer after global teardown): stop the
 * fixture stack through the API so no process outlives the run, then drop the throwaway database.
 */
export default async function globalTeardown(config: FullConfig): Promise<void> {
  const base = config.projects[0]?.use.baseURL;
  if (base) {
    try {
      const res = await fetch(`${base}/api/actions`, {
        method: "POST",
        headers: { ...authHeaders(), "content-type": "application/json" },
        body: JSON.stringify({ kind: "stop", targets: [] }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { actionId?: string };
      for (let i = 0; i < 60 && body.actionId; i++) {
        const a = (await (
          await fetch(`${base}/api/actions/${body.actionId}`, { headers: authHeaders() })
        ).json()) as {
          result?: string;
        };
        if (a.result !== "running") break;
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (err) {
      console.warn(`[e2e] could not stop the stack before teardown: ${String(err)}`);
    }
  }
  const db = process.env.VIGIL_E2E_DB;
  if (db) execFileSync("node", [join(webDir, "e2e/db.mjs"), "drop", db], { stdio: "inherit" });
}
