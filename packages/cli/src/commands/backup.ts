import { join, resolve } from "node:path";
import { backupStore, type StoreBackup } from "@vigil/db/backup";
import { findRepoRoot } from "@vigil/orchestrator";
import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { EXIT } from "../exit.ts";
import type { CliIo } from "../io.ts";
import { storeBackup } from "../remote/store-backup.ts";

/*
 * `vigil backup <path>`: a copy of Vigil's own store. Through the running server when there is one
 * (it holds the embedded store open, so only it can dump it safely), else standalone: pg_dump -Fc
 * of DATABASE_URL, or the embedded PGlite store's data-directory dump.
 */

// Where the server keeps the embedded store: <checkout>/.vigil/pgdata (apps/web/server.ts).
const defaultDataDir = () => join(findRepoRoot(import.meta.dirname) ?? process.cwd(), ".vigil", "pgdata");

export function register(program: Command, cli: Cli): void {
  program
    .command("backup")
    .description("back up Vigil's own store (history, runs, users) to a file, through the server if one runs")
    .argument("<path>", "the file to write (a pg_dump -Fc archive, or a .tar.gz of the embedded store)")
    .option("--data-dir <dir>", "the embedded store's directory when no server runs (default .vigil/pgdata)")
    .action((path: string, options: { dataDir?: string }, command: Command) => {
      const out = resolve(cli.io.cwd, path);
      return cli.withServer(
        command,
        async (server) => report(cli.io, await storeBackup(cli.io, server, out), `through ${server.url}`),
        async () => {
          const databaseUrl = cli.io.env.DATABASE_URL;
          const dataDir = resolve(cli.io.cwd, options.dataDir ?? defaultDataDir());
          const result = await backupStore({ ...(databaseUrl ? { databaseUrl } : {}), dataDir, out });
          return report(cli.io, result, "standalone (no server running)");
        },
      );
    });
}

function report(io: CliIo, result: StoreBackup, how: string): number {
  const restore =
    result.store === "external"
      ? `restore with: pg_restore --clean --dbname <url> ${result.path}`
      : "restore: stop Vigil, then unpack it over an empty .vigil/pgdata (tar -xzf)";
  io.stdout.write(
    `backed up the ${result.store} store (${result.format}) to ${result.path}, ${result.bytes} bytes, mode 0600 — ${how}\n${restore}\n`,
  );
  return EXIT.ok;
}
