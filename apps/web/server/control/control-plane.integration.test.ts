import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authDatabase } from "../auth/testing/db.ts";
import { signHook } from "./hooks.ts";
import { type ServerProcess, serverUrl, servicePid, startServer, until, vigil } from "./testing/processes.ts";

/*
 * The control plane end to end with real parts: the server process (server.ts, headless), the
 * `vigil` binary, a real process service, a throwaway database on the real Postgres.
 */

const dir = mkdtempSync(join(tmpdir(), "vigil-control-"));
const config = join(dir, "vigil.yaml");
const stateDir = join(dir, ".vigil", "state");
const elsewhere = mkdtempSync(join(tmpdir(), "vigil-elsewhere-"));
const ADMIN = { user: "ops-admin", password: "control-plane-pw-1" };
const actor = `cli:${userInfo().username}`;
let db: Awaited<ReturnType<typeof authDatabase>>;
let server: ServerProcess;
let url: string;

writeFileSync(
  config,
  `project: control
services:
  worker:
    kind: process
    command: [node, -e, "setInterval(() => {}, 1000)"]
    restart: on-failure:5
`,
);

const json = async (path: string, token?: string, init: RequestInit = {}) => {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
};

/**
 * `vigil login` as the admin with a scope, in its own config dir; returns the saved token. Read
 * tokens get the password piped on stdin, the others through VIGIL_PASSWORD: both ways are used.
 */
async function loginToken(scope: "read" | "operate" | "admin"): Promise<string> {
  const xdg = mkdtempSync(join(dir, `xdg-${scope}-`));
  const piped = scope === "read";
  const run = await vigil(["--server", url, "login", "--user", ADMIN.user, "--scope", scope], {
    cwd: elsewhere,
    env: { XDG_CONFIG_HOME: xdg, ...(piped ? {} : { VIGIL_PASSWORD: ADMIN.password }) },
    ...(piped ? { stdin: `${ADMIN.password}\n` } : {}),
  });
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  const file = join(xdg, "vigil", "credentials.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const saved = JSON.parse(readFileSync(file, "utf8")) as { servers: Record<string, { token: string }> };
  const token = saved.servers[new URL(url).origin]?.token;
  if (!token) throw new Error("no token saved");
  return token;
}

/** Signs in as the admin like the browser does: the session cookie and its CSRF token. */
async function browserSession(): Promise<{ cookie: string; csrf: string }> {
  const session = await fetch(`${url}/api/auth/session`);
  const cookies = session.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { cookie: cookies, "x-csrf-token": csrfToken, "content-type": "application/json" },
    body: JSON.stringify({ username: ADMIN.user, password: ADMIN.password }),
  });
  const set = login.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
  const csrf = set.find((c) => c.startsWith("vigil_csrf="))?.slice("vigil_csrf=".length) ?? "";
  return { cookie: set.join("; "), csrf: decodeURIComponent(csrf) };
}

/** Starts server.ts on the shared config and database; waits for the URL it records. */
async function bootServer(): Promise<void> {
  server = startServer(config, {
    DATABASE_URL: db.url,
    VIGIL_ADMIN_USER: ADMIN.user,
    VIGIL_ADMIN_PASSWORD: ADMIN.password,
  });
  const probe = async () => {
    const found = serverUrl(stateDir);
    return found && (await fetch(`${found}/healthz`)).ok ? found : undefined;
  };
  url = await until("the server to record its URL", probe, 90_000);
}

beforeAll(async () => {
  db = await authDatabase();
  await bootServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  // The worker outlives the server on purpose (adoption); end it here.
  const pid = servicePid(stateDir, "worker");
  if (pid) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe("the server owns the services", () => {
  it("records its URL and a local credential only its user can read", () => {
    expect(statSync(join(stateDir, "server.json")).mode & 0o777).toBe(0o600);
  });

  it("runs `vigil start/restart` through the server as cli:<user>, audited; a kill -9 is restarted by policy", async () => {
    const start = await vigil(["start"], { cwd: dir });
    expect(start.code, start.err).toBe(0);
    expect(start.out).toContain(`start through ${url}`);
    expect(start.out).toContain(`(by ${actor})`);
    const first = await until("the worker's pid", () => servicePid(stateDir, "worker"));

    const restart = await vigil(["restart", "worker"], { cwd: dir });
    expect(restart.code, restart.err).toBe(0);
    expect(restart.out).toContain(`restart through ${url}`);
    const second = await until("a new pid", () => {
      const pid = servicePid(stateDir, "worker");
      return pid !== undefined && pid !== first ? pid : undefined;
    });

    const admin = await loginToken("admin");
    const actions = await json("/api/actions", admin);
    const kinds = (actions.body.actions as { kind: string; requestedBy: string }[]).map(
      (a) => `${a.kind} ${a.requestedBy}`,
    );
    expect(kinds).toContain(`restart ${actor}`);
    const audit = await json("/api/audit", admin);
    const entries = audit.body.entries as { actor: string; action: string; target: string; result: string }[];
    expect(entries.find((e) => e.action === "action.run" && e.target === "worker")).toMatchObject({ actor });

    // Vigil is the parent of the worker it restarted: a SIGKILL is a crash, and on-failure brings it back.
    process.kill(second, "SIGKILL");
    const third = await until("the policy to restart the worker", () => {
      const pid = servicePid(stateDir, "worker");
      return pid !== undefined && pid !== second ? pid : undefined;
    });
    expect(third).not.toBe(second);
    const board = await json("/api/services", admin);
    const worker = (board.body.services as { name: string; restarts: number }[]).find(
      (s) => s.name === "worker",
    );
    expect(worker?.restarts).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("answers `vigil status` through the server running for the same config", async () => {
    const through = await vigil(["status"], { cwd: dir });
    expect(through.code, through.err).toBe(0);
    expect(through.out).toMatch(/worker\s+process\s+running/);
  }, 60_000);
});

describe("API tokens", () => {
  it("lets `vigil --server URL status` with VIGIL_TOKEN work from another directory, and says how to log in without one", async () => {
    const read = await loginToken("read");
    const ok = await vigil(["--server", url, "status"], { cwd: elsewhere, env: { VIGIL_TOKEN: read } });
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain("worker");
    const none = await vigil(["--server", url, "status"], {
      cwd: elsewhere,
      env: { XDG_CONFIG_HOME: elsewhere },
    });
    expect(none.code).toBe(1);
    expect(none.err).toContain(`vigil login --server ${url}`);
  }, 60_000);

  it("refuses to act with a read token (403) and any use of an expired or revoked one (401)", async () => {
    const read = await loginToken("read");
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${read}` } });
    expect(metrics.status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const denied = await json("/api/actions", read, {
      method: "POST",
      body: JSON.stringify({ kind: "restart", targets: ["worker"] }),
    });
    expect(denied.status).toBe(403);
    const cli = await vigil(["--server", url, "restart", "worker"], {
      cwd: elsewhere,
      env: { VIGIL_TOKEN: read },
    });
    expect(cli.code).toBe(1);
    expect(cli.err).toContain("refused");

    const operate = await loginToken("operate");
    expect((await json("/api/services", operate)).status).toBe(200);
    await db.sql.query(
      "update api_tokens set expires_at = now() - interval '1 second' where token_hash = encode(sha256($1::bytea), 'hex')",
      [operate],
    );
    expect((await json("/api/services", operate)).status).toBe(401);
  }, 60_000);

  it("shows a token once: listed with its prefix and last use, never the token; revoked ones stop working", async () => {
    const admin = await loginToken("admin");
    const s = await browserSession();
    const list = await fetch(`${url}/api/tokens`, { headers: { cookie: s.cookie } });
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).not.toContain(admin);
    const tokens = (
      JSON.parse(text) as { tokens: { id: string; prefix: string; lastUsedAt: string | null }[] }
    ).tokens;
    const mine = tokens.find((t) => admin.startsWith(t.prefix) && t.lastUsedAt !== null);
    expect(mine).toBeDefined();
    // A token cannot list tokens (so it cannot mint or outlive itself).
    expect((await json("/api/tokens", admin)).status).toBe(403);
    const revoke = await fetch(`${url}/api/tokens/${mine?.id}/revoke`, {
      method: "POST",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect(revoke.status).toBe(200);
    expect((await json("/api/services", admin)).status).toBe(401);
    // Never logged.
    expect(server.output()).not.toContain(admin);
  }, 60_000);
});

describe("deploy hooks", () => {
  it("restart on a signed call, once; refuse GET, bad signatures, stale or replayed timestamps, revoked hooks and guessing floods (429), all audited", async () => {
    const s = await browserSession();
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const created = (await (await post("/api/hooks", { service: "worker", action: "restart" })).json()) as {
      id: string;
      url: string;
      secret: string;
    };
    expect(created.url).toBe(`${url}/hooks/${created.id}`);
    const call = (opts: { ts?: number; body?: string; secret?: string; signature?: string }) => {
      const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
      const body = opts.body ?? JSON.stringify({ ref: "main", sha: "abc123" });
      return fetch(created.url, {
        method: "POST",
        headers: {
          "x-vigil-timestamp": ts,
          "x-vigil-signature": opts.signature ?? signHook(opts.secret ?? created.secret, ts, body),
          "content-type": "application/json",
        },
        body,
      });
    };
    expect((await fetch(created.url)).status).toBe(405);
    expect((await call({ secret: "not-the-secret" })).status).toBe(401);
    expect((await call({ ts: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);

    const ts = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ ref: "main" });
    const good = await call({ ts, body });
    expect(good.status).toBe(202);
    const { actionId } = (await good.json()) as { actionId: string };
    expect((await call({ ts, body })).status).toBe(401); // the same signed request again

    const admin = await loginToken("admin");
    const action = await json(`/api/actions/${actionId}`, admin);
    expect(action.body).toMatchObject({
      kind: "restart",
      targets: ["worker"],
      requestedBy: `hook:${created.id.slice(0, 8)}`,
    });
    await until("the hook's restart to finish", async () => {
      const view = await json(`/api/actions/${actionId}`, admin);
      return view.body.result === "running" ? undefined : view.body.result;
    });

    expect((await post(`/api/hooks/${created.id}/revoke`, {})).status).toBe(200);
    expect((await call({})).status).toBe(401);

    // Guessing is slowed down: 20 refused calls per client address in 10 minutes, then 429. Four
    // were refused above (bad signature, stale timestamp, replayed, revoked).
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) statuses.push((await call({ signature: "sha256=00" })).status);
    expect(statuses).toEqual([...Array<number>(16).fill(401), 429]);

    const audit = await json("/api/audit?limit=50", admin);
    const results = (audit.body.entries as { action: string; result: string }[])
      .filter((e) => e.action === "hook.call")
      .map((e) => e.result);
    expect(results).toEqual(
      expect.arrayContaining([
        "denied: bad signature",
        "denied: bad timestamp",
        "denied: replayed",
        "denied: revoked",
        "rate-limited",
        `accepted ${actionId}`,
      ]),
    );
  }, 60_000);
});

describe("adoption is supervision", () => {
  it("adopts what the standalone CLI started, restarts it per policy after kill -9 with an honest reason, and keeps counting", async () => {
    const admin = await loginToken("admin");
    const restartsOf = async (token: string) => {
      const board = await json("/api/services", token);
      return (board.body.services as { name: string; restarts: number; runtimeState: string }[]).find(
        (s) => s.name === "worker",
      );
    };
    const before = (await restartsOf(admin))?.restarts ?? -1;
    expect(before).toBeGreaterThanOrEqual(1);

    await server.stop();
    expect(serverUrl(stateDir)).toBeUndefined(); // server.json withdrawn: the CLI is on its own now

    const stop = await vigil(["stop"], { cwd: dir });
    expect(stop.code, stop.err).toBe(0);
    expect(stop.out).not.toContain("through");
    const start = await vigil(["start"], { cwd: dir });
    expect(start.code, start.err).toBe(0);
    expect(start.out).not.toContain("through");
    const standalonePid = await until("the standalone start's pid", () => servicePid(stateDir, "worker"));

    await bootServer();
    const token = await loginToken("admin");
    const adopted = await until("the adopted worker", async () => {
      const w = await restartsOf(token);
      return w?.runtimeState === "running" ? w : undefined;
    });
    // Adopted, not restarted; and the counter did not start again from zero.
    expect(servicePid(stateDir, "worker")).toBe(standalonePid);
    expect(adopted.restarts).toBe(before);

    process.kill(standalonePid, "SIGKILL");
    const next = await until("the policy to restart the adopted worker", () => {
      const pid = servicePid(stateDir, "worker");
      return pid !== undefined && pid !== standalonePid ? pid : undefined;
    });
    expect(next).not.toBe(standalonePid);
    await until("the counter to continue", async () =>
      (await restartsOf(token))?.restarts === before + 1 ? true : undefined,
    );
    await until("the honest restart reason", async () => {
      const events = await json("/api/events?service=worker&type=restart", token);
      const messages = (events.body.events as { message: string }[]).map((e) => e.message);
      return messages.find((m) => m.includes("process gone; exit status unknown"));
    });
  }, 180_000);
});
