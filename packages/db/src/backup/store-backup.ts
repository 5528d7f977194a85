import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";

/*
 * `vigil backup`: a copy of Vigil's own store. An external Postgres is dumped with `pg_dump -Fc`
 * (restore with pg_restore); the embedded PGlite store with its own data-directory dump, a gzip'd
 * tarball that `new PGlite({ loadDataDir })` opens again. Files are 0600 in a directory made 0700.
 */

export interface StoreBackup {
  path: string;
  bytes: number;
  store: "external" | "embedded";
  format: "pg_dump -Fc" | "pglite data dir (tar.gz)";
}

async function publish(out: string, write: (partial: string) => Promise<void>): Promise<number> {
  const path = resolve(out);
  if (!existsSync(dirname(path))) await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  try {
    await write(partial);
    await chmod(partial, 0o600);
    await rename(partial, path);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return (await stat(path)).size;
}

/** pg_dump -Fc of an external store; the password goes in PGPASSWORD, never argv. */
export async function dumpExternalStore(
  databaseUrl: string,
  out: string,
  signal?: AbortSignal,
): Promise<StoreBackup> {
  const url = new URL(databaseUrl);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = "";
  const shown = url.toString();
  const bytes = await publish(
    out,
    (partial) =>
      new Promise<void>((done, fail) => {
        const child = spawn("pg_dump", ["-Fc", "--no-password", "-f", partial, "--dbname", url.toString()], {
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
          ...(signal ? { signal } : {}),
        });
        let stderr = "";
        child.stderr.on("data", (c: Buffer) => {
          stderr += c.toString();
        });
        child.once("error", (error) => fail(new Error(`pg_dump could not run: ${error.message}`)));
        child.once("close", (code) =>
          code === 0
            ? done()
            : fail(
                new Error(`pg_dump of ${shown} failed (exit code ${code}): ${redactText(stderr, password)}`),
              ),
        );
      }),
  );
  return { path: resolve(out), bytes, store: "external", format: "pg_dump -Fc" };
}

const redactText = (text: string, secret: string | undefined) =>
  (secret ? text.split(secret).join("***") : text).trim();

/** The data-directory dump of an open PGlite (the server's own, while it runs). */
export async function dumpPglite(db: PGlite, out: string): Promise<StoreBackup> {
  const bytes = await publish(out, async (partial) => {
    const blob = await db.dumpDataDir("gzip");
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
  });
  return { path: resolve(out), bytes, store: "embedded", format: "pglite data dir (tar.gz)" };
}

/**
 * Standalone (no server running): the external store when a URL is given, else the embedded one
 * in `dataDir`, opened only for the dump. Never while a server has it open (the CLI asks it instead).
 */
export async function backupStore(opts: {
  databaseUrl?: string;
  dataDir: string;
  out: string;
}): Promise<StoreBackup> {
  if (opts.databaseUrl) return dumpExternalStore(opts.databaseUrl, opts.out);
  if (!existsSync(resolve(opts.dataDir, "PG_VERSION")))
    throw new Error(
      `no embedded store at ${resolve(opts.dataDir)} (no PG_VERSION there): pass --data-dir, or set DATABASE_URL for an external one`,
    );
  const db = await PGlite.create(resolve(opts.dataDir));
  try {
    return await dumpPglite(db, opts.out);
  } finally {
    await db.close();
  }
}
