import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explicitServer, localServer } from "./discover.ts";

/* A real HTTP server on port 0 answers /healthz; server.json files are written as the server writes them. */

const dir = mkdtempSync(join(tmpdir(), "vigil-discover-"));
let http: Server;
let url: string;

beforeAll(async () => {
  http = createServer((req, res) => {
    res.writeHead(req.url === "/healthz" ? 200 : 404);
    res.end("ok");
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const record = (over: Record<string, unknown> = {}) =>
  writeFileSync(
    join(dir, "server.json"),
    JSON.stringify({ url, pid: process.pid, config: "/c/vigil.yaml", token: "vgl_local_x", ...over }),
  );

describe("finding the server that owns the services", () => {
  it("uses the server recorded for this config while it is alive and answers", async () => {
    record();
    expect(await localServer(dir, "/c/vigil.yaml", {})).toEqual({
      url,
      token: "vgl_local_x",
      source: join(dir, "server.json"),
    });
    // CI on the server's machine acts as its token's owner.
    expect((await localServer(dir, "/c/vigil.yaml", { VIGIL_TOKEN: "vgl_ci" }))?.token).toBe("vgl_ci");
  });

  it("works standalone when the record is for another config, its process is gone, or nobody answers", async () => {
    record();
    expect(await localServer(dir, "/other/vigil.yaml", {})).toBeNull();
    record({ pid: 2 ** 22 + 12345 });
    expect(await localServer(dir, "/c/vigil.yaml", {})).toBeNull();
    record({ url: "http://127.0.0.1:1" });
    expect(await localServer(dir, "/c/vigil.yaml", {})).toBeNull();
    expect(await localServer(join(dir, "none"), "/c/vigil.yaml", {})).toBeNull();
  });

  it("takes --server over VIGIL_SERVER, and refuses a value that is not a URL", async () => {
    const env = { VIGIL_SERVER: "http://a.example:3000", VIGIL_TOKEN: "vgl_t", XDG_CONFIG_HOME: dir };
    expect(await explicitServer(undefined, env)).toEqual({
      url: "http://a.example:3000/",
      token: "vgl_t",
      source: "VIGIL_SERVER",
    });
    expect((await explicitServer("http://b.example", env))?.source).toBe("--server");
    expect(await explicitServer(undefined, { XDG_CONFIG_HOME: dir })).toBeNull();
    await expect(explicitServer("not a url", env)).rejects.toThrow(/--server: "not a url" is not a URL/);
  });
});
