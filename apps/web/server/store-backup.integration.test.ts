import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreBackupResponse } from "../lib/store-backup-contract.ts";
import type { VigilServer } from "./app.ts";
import { postJson } from "./testing/http.ts";
import { type RealServer, startRealServer } from "./testing/real-server.ts";

/* `vigil backup` through the server: POST /api/store/backup dumps the server's own store. */

let real: RealServer;
let server: VigilServer;
let stateDir: string;

beforeAll(async () => {
  real = await startRealServer("store-backup", ({ database }) => ({
    config: ConfigSchema.parse({ project: `storebk${process.pid}`, services: { api: { kind: "external" } } }),
    storeBackup: (out) => database.backup(out),
  }));
  ({ server, stateDir } = real);
});

afterAll(async () => {
  await real?.close();
});

describe("store backup through the server", () => {
  it("writes a pg_dump -Fc of the server's store, 0600, and answers where", async () => {
    const path = join(stateDir, "backups", "vigil.dump");
    const posted = await postJson(server.url, "/api/store/backup", { path });
    expect(posted.status).toBe(200);
    expect(StoreBackupResponse.parse(posted.body)).toMatchObject({
      path,
      store: "external",
      format: "pg_dump -Fc",
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(execFileSync("pg_restore", ["--list", path], { encoding: "utf8" })).toMatch(
      /TABLE public services/,
    );
  });

  it("refuses a relative path with the field named", async () => {
    const posted = await postJson(server.url, "/api/store/backup", { path: "vigil.dump" });
    expect(posted.status).toBe(400);
    expect(posted.body).toMatchObject({
      error: { field: "path", message: expect.stringMatching(/absolute path/) },
    });
  });
});
