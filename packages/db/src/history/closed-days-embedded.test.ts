import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../embedded/embedded.ts";
import { migrate } from "../migrate/migrate.ts";
import { resultBatch } from "../testing/result-batch.ts";
import { seriesIndex } from "./closed-days.ts";
import { packClosedDays } from "./partitions.ts";
import { createWriterState, writeBatch } from "./write.ts";

const DAY = 86_400_000;

describe("closed days packed on the embedded PGlite", () => {
  let pglite: EmbeddedPostgres;
  let db: Db;
  beforeAll(async () => {
    pglite = await startEmbeddedPostgres({ dataDir: "memory://" });
    await migrate(pglite.url);
    db = createDb({ url: pglite.url, maxConnections: pglite.maxConnections });
  });
  afterAll(async () => {
    await db?.close();
    await pglite?.stop();
  });

  it("packs a closed day (CLUSTER, concurrent index build and drop) and stores a replayed batch once", async () => {
    const day = Date.UTC(2026, 10, 12);
    const batch = resultBatch("late", day, 40, 60_000);
    expect((await writeBatch(db.pool, batch.slice(0, 20), 0, createWriterState())).inserted).toBe(20);
    const c = await db.pool.connect();
    try {
      expect(await packClosedDays(c, new Date(day + 2 * DAY))).toContain("probe_rows_20261112");
    } finally {
      c.release();
    }
    const { rows: indexes } = await db.pool.query<{ i: string }>(
      "SELECT indexrelid::regclass::text AS i FROM pg_index WHERE indrelid = 'probe_rows_20261112'::regclass",
    );
    expect(indexes).toEqual([{ i: seriesIndex("probe_rows_20261112") }]);
    expect((await writeBatch(db.pool, batch, 0, createWriterState())).inserted).toBe(20);
    expect((await writeBatch(db.pool, batch, 0, createWriterState())).inserted).toBe(0);
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM probe_rows");
    expect(rows[0]?.n).toBe(40);
  });
});
