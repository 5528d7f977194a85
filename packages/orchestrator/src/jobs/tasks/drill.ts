import { randomBytes } from "node:crypto";
import pg from "pg";
import { listCopies, markDrill } from "../backup/copies.ts";
import { masking, type PgConnection, pgTarget } from "../backup/pg-target.ts";
import { commandTask } from "./command.ts";
import type { JobTask, TaskContext } from "./task.ts";

export interface DrillTaskSpec {
  kind: "drill";
  /** The backup job whose newest copy is restored. */
  of: string;
  destination: string;
  /** The server the scratch database is made on (the backup's own unless the drill names one). */
  server: PgConnection;
  check: string;
  expect: { minRows?: number; equals?: string };
}

/**
 * Restores the newest copy of a Postgres backup into a scratch database (created, then dropped
 * whatever happens), runs the check query, and records the verdict beside the copy: a backup is
 * good only once its drill passed. A corrupt dump or a failing check fails the run.
 */
export function drillTask(spec: Omit<DrillTaskSpec, "kind">): JobTask {
  return async (ctx) => {
    const [copy] = await listCopies(spec.destination, spec.of);
    if (!copy) throw new Error(`no backup of "${spec.of}" in ${spec.destination} to drill`);
    const admin = pgTarget(spec.server, spec.server.url ? undefined : "postgres");
    const log = masking(ctx.log, [admin.password]);
    const scratch = `vigil_drill_${randomBytes(6).toString("hex")}`;
    log(`restoring ${copy.file} into scratch database ${scratch}`);
    const verdict = await withScratch(admin.clientConfig, scratch, ctx, async () => {
      const into = pgTarget(spec.server, scratch);
      const restored = await commandTask({
        command: [
          "pg_restore",
          "--no-owner",
          "--no-privileges",
          "--exit-on-error",
          "--no-password",
          "-d",
          into.dbname,
          copy.path,
        ],
        env: into.env,
      })({ ...ctx, log });
      if (restored.exitCode !== 0)
        return `pg_restore failed (exit code ${restored.exitCode ?? restored.signal})`;
      return check(into.clientConfig, spec, log);
    });
    if (ctx.signal.aborted) return { exitCode: null, signal: null };
    const passed = verdict === null;
    await markDrill(copy.path, {
      passed,
      at: new Date().toISOString(),
      by: ctx.job,
      detail: verdict ?? "restored and the check passed",
    });
    log(passed ? `drill passed: ${copy.file} is good` : `drill failed: ${verdict}`);
    return { exitCode: passed ? 0 : 1, signal: null };
  };
}

/** Runs the check query; null when it passed, else why not. */
async function check(
  config: pg.ClientConfig,
  spec: Omit<DrillTaskSpec, "kind">,
  log: (line: string) => void,
): Promise<string | null> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const result = await client.query<Record<string, unknown>>(spec.check);
    const first = result.rows[0] ? Object.values(result.rows[0])[0] : undefined;
    log(
      `check returned ${result.rows.length} row(s)${first === undefined ? "" : `, first value ${String(first)}`}`,
    );
    const minRows = spec.expect.minRows ?? 1;
    if (result.rows.length < minRows)
      return `check returned ${result.rows.length} row(s), expected at least ${minRows}`;
    if (spec.expect.equals !== undefined && String(first) !== spec.expect.equals)
      return `check returned ${String(first)}, expected ${spec.expect.equals}`;
    return null;
  } catch (error) {
    return `check query failed: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withScratch(
  admin: pg.ClientConfig,
  scratch: string,
  ctx: TaskContext,
  body: () => Promise<string | null>,
): Promise<string | null> {
  const run = async (sql: string) => {
    const client = new pg.Client({ ...admin, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await run(`CREATE DATABASE ${scratch}`);
  try {
    return await body();
  } finally {
    await run(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch((error: unknown) =>
      ctx.log(`could not drop scratch database ${scratch}: ${(error as Error).message}`),
    );
  }
}
