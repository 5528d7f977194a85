import path from "node:path";
import { fileURLToPath } from "node:url";
import { forkChild } from "./child.ts";
import type { Cleanup } from "./cleanup.ts";

export type TargetIn = { type: "set-up"; up: boolean } | { type: "stats" };
export type TargetOut =
  | { type: "ready"; port: number }
  | { type: "ack" }
  | { type: "stats"; requests: number; cpuMs: number };

export interface HttpTarget {
  /** Base URL, e.g. http://127.0.0.1:41234 — `/flip/...` paths follow setUp, all others answer 200. */
  url: string;
  pid: number;
  setUp(up: boolean): Promise<void>;
  stats(): Promise<{ requests: number; cpuMs: number }>;
}

const program = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "children", "http-target.ts");

/** Starts the loopback HTTP target in a child process; the cleanup stops it. */
export async function startHttpTarget(cleanup: Cleanup): Promise<HttpTarget> {
  const child = forkChild<TargetOut>(program);
  cleanup.add("http target", () => child.stop());
  const { port } = await child.next("ready", 20_000);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async setUp(up) {
      child.send({ type: "set-up", up } satisfies TargetIn);
      await child.next("ack", 5000);
    },
    async stats() {
      child.send({ type: "stats" } satisfies TargetIn);
      const { requests, cpuMs } = await child.next("stats", 5000);
      return { requests, cpuMs };
    },
  };
}
