import { spawn } from "node:child_process";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ActionsResponse } from "../lib/contract";
import { BASE, expect, getJson, test } from "./helpers";
import { ensureStackHealthy } from "./stack";

/*
 * Issue 13: the running server owns the services. The real `vigil` binary, pointed at the same
 * config as the e2e server, finds it through server.json and restarts through its API; the
 * browser sees that restart live, as an action by cli:<OS user>.
 */

const here = dirname(fileURLToPath(import.meta.url));
const vigilBin = join(here, "../../../packages/cli/bin/vigil.mjs");
const config = join(here, "fixtures/vigil.yaml");

test.beforeAll(ensureStackHealthy);

function vigil(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vigilBin, "--config", config, ...args], {
      env: { ...process.env, NO_COLOR: "1", VIGIL_TOKEN: "", VIGIL_SERVER: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

test("the CLI's restart goes through the server and shows live in the browser as an action by cli:<user>", async ({
  page,
}) => {
  const actor = `cli:${userInfo().username}`;
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");

  // search has a staged start (ready after 1.5 s), so the action is visibly running for a while.
  const run = vigil(["restart", "search"]);
  // Seen while it runs: the dock shows other people's actions only until they finish.
  const card = page
    .getByTestId("action-dock")
    .getByTestId("action-card")
    .filter({ hasText: actor })
    .filter({ hasText: "search" });
  await expect(card.first()).toBeVisible({ timeout: 15_000 });

  const done = await run;
  expect(done.err).toBe("");
  expect(done.code).toBe(0);
  expect(done.out).toContain("restart through http://127.0.0.1:");
  expect(done.out).toContain(`(by ${actor})`);
  // The dock shows others' actions while they run; the record stays in the action list.
  const { actions } = await getJson<ActionsResponse>("/api/actions?limit=20");
  const mine = actions.find((a) => a.requestedBy === actor && a.targets.includes("search"));
  expect(mine).toMatchObject({ kind: "restart", result: "succeeded" });
});

test("an API token is shown once on the account page, listed by prefix, works as Bearer, and stops when revoked", async ({
  page,
}) => {
  await page.goto("/account");
  const name = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Scope").selectOption("read");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^vgl_/);
  const token = (await shown.textContent()) ?? "";

  const bearer = (path: string) =>
    fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
  expect(await bearer("/api/services")).toBe(200);

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row).not.toContainText(token);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0); // never shown again
  await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await expect(
    page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }),
  ).toHaveCount(0);
  expect(await bearer("/api/services")).toBe(401);
});
