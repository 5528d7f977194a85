import type { HistoryResponse } from "../lib/contract";
import { expect, getJson, MANAGED, runAction, services, waitForStatus } from "./helpers";

/*
 * Lets a spec file run alone (`playwright test e2e/03-history-share.spec.ts`) as well as after the
 * others: it brings the shared stack to the state the file starts from instead of assuming that an
 * earlier file left it there.
 */

/** Every managed service of the fixture stack healthy, starting the stack if it is not. */
export async function ensureStackHealthy(): Promise<void> {
  const all = (await services()).services;
  const unhealthy = MANAGED.filter((name) => all.find((s) => s.name === name)?.status !== "healthy");
  if (unhealthy.length > 0) {
    const action = await runAction("start");
    expect(action.result, `start for ${unhealthy.join(", ")}: ${action.message ?? ""}`).toBe("succeeded");
  }
  await waitForStatus(MANAGED, "healthy", 60_000);
}

/** Stored history for `service` in the last 15 minutes (checks run every second once it is up). */
export async function ensureHistory(service: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const to = new Date();
        const from = new Date(to.getTime() - 15 * 60_000);
        const q = `service=${service}&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
        return (await getJson<HistoryResponse>(`/api/history?${q}`)).points.length;
      },
      { timeout: 30_000, intervals: [500, 1000] },
    )
    .toBeGreaterThan(2);
}
