import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Child, forkChild } from "./child.ts";
import type { Cleanup } from "./cleanup.ts";

/** A snapshot's size: the JSON of the event payload, and deflated as permessage-deflate sends it. */
export interface SnapshotSize {
  raw: number;
  deflated: number;
}

export type ClientsIn = { type: "close" } | { type: "count"; ms: number };
export type ClientsOut =
  | { type: "connected"; snapshot: SnapshotSize }
  | { type: "counted"; messages: number; results: number; clients: number }
  | { type: "transition"; to: string; at: string; times: number[] }
  | { type: "error"; message: string }
  | { type: "closed" };

const program = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "children",
  "socket-clients.ts",
);

/** Connects `count` Socket.IO clients from a child process; resolves once all got their snapshot. */
export async function connectClients(
  cleanup: Cleanup,
  url: string,
  count: number,
  watched: string,
): Promise<{ child: Child<ClientsOut>; snapshot: SnapshotSize }> {
  const child = forkChild<ClientsOut>(program, { args: [url, String(count), watched] });
  cleanup.add("socket clients", async () => {
    child.send({ type: "close" } satisfies ClientsIn);
    await child.next("closed", 5000).catch(() => undefined);
    await child.stop();
  });
  const errors: string[] = [];
  child.onMessage((m) => {
    if (m.type === "error" && errors.length < 3) errors.push(m.message);
  });
  const connected = await child.next("connected", 60_000).catch((error: unknown) => {
    throw new Error(`${String(error)}${errors.length ? ` (client errors: ${errors.join("; ")})` : ""}`);
  });
  return { child, snapshot: connected.snapshot };
}
