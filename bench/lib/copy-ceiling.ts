import { createRequire } from "node:module";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { encodeRawRows, type RawRow } from "../../packages/db/src/history/copy-rows.ts";
import { dayOf, ensureDayPartitions } from "../../packages/db/src/history/partitions.ts";
import type { Cleanup } from "./cleanup.ts";
import { repoRoot } from "./paths.ts";
import { migratedDatabase } from "./vigil-db.ts";

// packages/db's own pg-copy-streams, as bench/lib/pg.ts takes its pg: no new dependency.
const require = createRequire(path.join(repoRoot, "packages", "db", "package.json"));
const { from: copyFrom } =
  require("pg-copy-streams") as typeof import("../../packages/db/node_modules/@types/pg-copy-streams/index.d.ts");

/*
 * The ceiling under the writer on this machine: the ingest scenario's rows as the writer's own
 * binary COPY and nothing else (no rollups, dictionary, partition checks or queue), in
 * transactions of `batch` rows, into probe_rows (with its (series_id, at) key) and into a bare
 * table of the same columns without a key. rows/s of each, encoding included.
 */

export async function copyCeiling(
  cleanup: Cleanup,
  rows: (i: number) => RawRow,
  total: number,
  batch: number,
): Promise<{ keyed: number; bare: number }> {
  const { db } = await migratedDatabase(cleanup, "ingest_ceiling", 1);
  const client = await db.pool.connect();
  cleanup.add("ceiling client", () => client.release());
  const first = rows(0).at / 1000;
  const last = rows(total - 1).at / 1000;
  const days = [...new Set([dayOf(first), dayOf(last)])];
  await ensureDayPartitions(client, days);
  await client.query(`CREATE TABLE probe_rows_bare (LIKE probe_rows)`);
  const run = async (table: "probe_rows" | "probe_rows_bare") => {
    const started = performance.now();
    for (let from = 0; from < total; from += batch) {
      const chunk = Array.from({ length: Math.min(batch, total - from) }, (_, j) => rows(from + j));
      await client.query("BEGIN");
      await pipeline(
        Readable.from([encodeRawRows(chunk)]),
        client.query(
          copyFrom(`COPY ${table} (series_id, at, status, latency_us, reason_id) FROM STDIN (FORMAT binary)`),
        ),
      );
      await client.query("COMMIT");
    }
    return total / ((performance.now() - started) / 1000);
  };
  return { keyed: await run("probe_rows"), bare: await run("probe_rows_bare") };
}
