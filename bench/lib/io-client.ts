import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./paths.ts";

/*
 * socket.io-client is a dependency of apps/web, not of the root, and its types do not resolve
 * through pnpm's links from here: resolve it as apps/web does and describe the little we use.
 */

export interface ClientSocket {
  on(event: string, listener: (payload: never) => void): unknown;
  once(event: string, listener: (payload: never) => void): unknown;
  onAny(listener: (event: string, ...payload: never[]) => void): unknown;
  close(): unknown;
}

export type IoFactory = (
  url: string,
  opts: { transports: string[]; reconnection: boolean; timeout: number },
) => ClientSocket;

export async function loadIo(): Promise<IoFactory> {
  const require = createRequire(path.join(repoRoot, "apps", "web", "package.json"));
  // require.resolve finds its CommonJS build; importing that yields the same named `io` export.
  const mod = (await import(pathToFileURL(require.resolve("socket.io-client")).href)) as { io?: unknown };
  if (typeof mod.io !== "function") throw new Error("socket.io-client has no io()");
  return mod.io as IoFactory;
}
