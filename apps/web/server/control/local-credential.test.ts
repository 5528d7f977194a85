import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalCredential, SERVER_FILE } from "./local-credential.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const stateDir = () => {
  const d = mkdtempSync(join(tmpdir(), "vigil-local-"));
  dirs.push(d);
  return join(d, "state");
};

describe("the local CLI credential", () => {
  it("is published 0600 with the URL and config, and maps only its own token to cli:<user> (operator)", async () => {
    const dir = stateDir();
    const local = new LocalCredential("alice");
    await local.publish(dir, { url: "http://127.0.0.1:1234", config: "/c/vigil.yaml" });
    const file = join(dir, SERVER_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(record).toMatchObject({ url: "http://127.0.0.1:1234", config: "/c/vigil.yaml", pid: process.pid });
    expect(local.principal(String(record.token))).toMatchObject({
      kind: "user",
      name: "cli:alice",
      role: "operator",
    });
    expect(local.principal(`${String(record.token)}x`)).toBeNull();
    expect(local.principal("vgl_not-local")).toBeNull();
    expect(new LocalCredential("alice").principal(String(record.token))).toBeNull(); // a new server, a new credential
  });

  it("withdraws its record on shutdown, but not one another server has written since", async () => {
    const dir = stateDir();
    const first = new LocalCredential("alice");
    const second = new LocalCredential("alice");
    await first.publish(dir, { url: "http://a", config: "/c" });
    await second.publish(dir, { url: "http://b", config: "/c" });
    await first.withdraw(dir);
    expect(JSON.parse(readFileSync(join(dir, SERVER_FILE), "utf8"))).toMatchObject({ url: "http://b" });
    await second.withdraw(dir);
    expect(() => statSync(join(dir, SERVER_FILE))).toThrow();
  });
});
