import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ServiceSchema } from "../config/schema.ts";
import type { ExitInfo } from "../runners/types.ts";
import { RestartSupervisor } from "./restart-policy.ts";
import { SupervisionStore } from "./supervision-store.ts";
import type { Runtime } from "./types.ts";

/*
 * Two supervisors on one supervision.json stand for two Vigils, one after the other: the second
 * continues the first's crash loop instead of starting from zero. Real files, no fake timers: the
 * restarts themselves are never awaited (close() drops the pending ones).
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const service = ServiceSchema.parse({
  kind: "process",
  command: ["true"],
  restart: { policy: "always", backoff: { initial: "1h", max: "1h" }, reset_after: "1h" },
});

function supervisor(file: string, runtimes: Runtime[]) {
  return new RestartSupervisor({
    service: () => service,
    restart: async () => undefined,
    isBusy: () => false,
    onEvent: () => undefined,
    setRuntime: (_name, runtime) => runtimes.push(runtime),
    store: new SupervisionStore(file),
  });
}

const crash = (signal: string | null): ExitInfo => ({
  service: "w",
  code: signal ? null : 1,
  signal,
  at: new Date(),
  ranForMs: 10,
  requested: false,
});

describe("restart supervision across a Vigil restart", () => {
  it("keeps counting attempts and shows the crash loop it inherited", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-persist-"));
    dirs.push(dir);
    const file = join(dir, "supervision.json");
    const first: Runtime[] = [];
    const a = supervisor(file, first);
    a.onExit(crash(null));
    a.onExit(crash("SIGKILL"));
    a.close();
    expect(first.at(-1)).toMatchObject({ state: "exited", exitSignal: "SIGKILL", exitUnknown: false });

    const second: Runtime[] = [];
    const b = supervisor(file, second);
    b.resumed("w"); // two attempts: not a crash loop yet
    expect(second).toEqual([]);
    b.onExit(crash(null)); // the third attempt overall, though only the first this Vigil saw
    b.close();
    expect(second.at(-1)).toMatchObject({ state: "crash-loop" });

    const third: Runtime[] = [];
    const c = supervisor(file, third);
    c.resumed("w");
    c.close();
    expect(third).toEqual([{ state: "crash-loop" }]);
  });
});
