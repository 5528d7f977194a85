// Test helper: a real PostgreSQL server of the test's own (initdb in a temp dir, its own port), so
// a test can stop and restart the database under running instances without touching the shared
// server on 5432 that every other test uses.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PrivatePostgres {
  /** Admin URL (user postgres, database postgres, trust auth on 127.0.0.1). */
  adminUrl: string;
  /** Fast shutdown: every connection is cut, new ones are refused until `start`. */
  stop(): void;
  start(): void;
  /** Stops the server and removes its data directory. */
  destroy(): void;
}

/** The newest installed server's binaries (Debian keeps them per major version). */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (!version) throw new Error(`no PostgreSQL server binaries under ${root} (apt-get install postgresql)`);
  return join(root, version, "bin");
}

/** Postgres refuses to run as root: as root, run its tools as the `postgres` user. */
function asPostgres(tool: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", tool, ...args]] : [tool, args];
  const out = spawnSync(cmd, argv, { encoding: "utf8", timeout: 120_000 });
  if (out.status !== 0)
    throw new Error(`${tool} ${args.join(" ")} failed (${out.status}): ${out.stderr || out.stdout}`);
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "vigil-private-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  asPostgres(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  // Durability is not what these tests are about; fsync off keeps a restart quick on a busy disk.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (...args: string[]) => asPostgres(join(bin, "pg_ctl"), ["-D", data, ...args]);
  const start = () => ctl("-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start");
  start();
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => ctl("-m", "fast", "-w", "-t", "60", "stop"),
    start,
    destroy() {
      try {
        ctl("-m", "immediate", "-w", "-t", "60", "stop");
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
