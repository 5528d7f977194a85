import type { StorePort } from "../ports.ts";
import { MemoryStore } from "../testing/memory-store.ts";

// TEMPORARY until @vigil/db lands.
export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  log: (line: string) => void;
}): Promise<{ store: StorePort; close(timeoutMs: number): Promise<void> }> {
  opts.log("database: in memory (temporary)");
  return { store: new MemoryStore(), close: async () => undefined };
}
