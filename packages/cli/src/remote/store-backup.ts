import type { StoreBackup } from "@vigil/db/backup";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { api, type RemoteServer } from "./client.ts";

const RemoteStoreBackup = z.object({
  path: z.string(),
  bytes: z.number(),
  store: z.enum(["external", "embedded"]),
  format: z.enum(["pg_dump -Fc", "pglite data dir (tar.gz)"]),
});

/** The server writes the copy on its own host (the path is the server's). */
export function storeBackup(io: CliIo, server: RemoteServer, path: string): Promise<StoreBackup> {
  // A dump takes as long as the store is big: minutes, not the 15 s of an ordinary request.
  return api(server, "POST", "/api/store/backup", RemoteStoreBackup, {
    body: { path },
    signal: io.signal,
    timeoutMs: 15 * 60_000,
  });
}
