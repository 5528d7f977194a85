import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SupervisionStore } from "./supervision-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const file = () => {
  const d = mkdtempSync(join(tmpdir(), "vigil-supervision-"));
  dirs.push(d);
  return join(d, "state", "supervision.json");
};

describe("SupervisionStore", () => {
  it("keeps each service's counters across instances (a Vigil restart), one key at a time", () => {
    const path = file();
    const cli = new SupervisionStore(path);
    const server = new SupervisionStore(path);
    cli.save("api", { attempts: 2, restarts: 5 });
    server.save("worker", { attempts: 0, restarts: 1 });
    expect(Object.fromEntries(new SupervisionStore(path).load())).toEqual({
      api: { attempts: 2, restarts: 5 },
      worker: { attempts: 0, restarts: 1 },
    });
  });

  it("starts empty on a missing or damaged file, and ignores malformed entries", () => {
    const path = file();
    expect(new SupervisionStore(path).load().size).toBe(0);
    const store = new SupervisionStore(path);
    store.save("ok", { attempts: 1, restarts: 1 });
    writeFileSync(path, '{"ok":{"attempts":1,"restarts":1},"bad":{"attempts":"x"}}');
    expect([...store.load().keys()]).toEqual(["ok"]);
    writeFileSync(path, "not json");
    expect(store.load().size).toBe(0);
  });
});
