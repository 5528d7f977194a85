-- probe_rows with its columns in alignment order (issue 20, storage round two). Postgres lays a
-- row out in column order and pads each column to its type's alignment: the former order
-- (series_id int4, at int8-aligned, status int2, latency_us int4, reason_id int4) put 4 bytes of
-- padding before "at" and 2 before latency_us, 28 bytes of data that MAXALIGN rounds to a 56-byte
-- tuple. Eight-byte column first, then the four-byte ones, the two-byte one last: 22 bytes of
-- data, a 48-byte tuple, 8 bytes less per row (the 24-byte header and 4-byte line pointer stay).
-- A column order cannot be changed in place, so the table is made again and every row moved.
-- Rows land in the new default partition first. The writer's first batch of a day and the
-- retention job (adoptDefaultRows) give them their day partitions, as after the lean migration.

CREATE TABLE "probe_rows_aligned" (
    "at" TIMESTAMPTZ(6) NOT NULL,
    "series_id" INTEGER NOT NULL,
    "latency_us" INTEGER,
    "reason_id" INTEGER,
    "status" SMALLINT NOT NULL,

    CONSTRAINT "probe_rows_aligned_pkey" PRIMARY KEY ("series_id","at")
) PARTITION BY RANGE ("at");

CREATE TABLE "probe_rows_aligned_default" PARTITION OF "probe_rows_aligned" DEFAULT;

INSERT INTO "probe_rows_aligned" ("at", "series_id", "latency_us", "reason_id", "status")
SELECT "at", "series_id", "latency_us", "reason_id", "status" FROM "probe_rows";

-- The view reads probe_rows: it goes with the old table and comes back unchanged below.
DROP VIEW "probe_results";

-- Dropping the partitioned parent drops every day partition and the default one with it.
DROP TABLE "probe_rows";

ALTER TABLE "probe_rows_aligned" RENAME TO "probe_rows";
ALTER TABLE "probe_rows" RENAME CONSTRAINT "probe_rows_aligned_pkey" TO "probe_rows_pkey";
ALTER TABLE "probe_rows_aligned_default" RENAME TO "probe_rows_default";
ALTER INDEX "probe_rows_aligned_default_pkey" RENAME TO "probe_rows_default_pkey";

CREATE VIEW "probe_results" AS
SELECT s."service", s."check", r."at",
       (CASE r."status" WHEN 0 THEN 'healthy' WHEN 1 THEN 'degraded' ELSE 'unhealthy' END)::text AS "status",
       r."latency_us"::float8 / 1000 AS "latency_ms",
       m."text" AS "message", x."detail", x."value_map", r."series_id"
FROM "probe_rows" r
JOIN "series" s ON s."id" = r."series_id"
LEFT JOIN "reasons" m ON m."id" = r."reason_id"
LEFT JOIN "probe_row_extras" x ON x."series_id" = r."series_id" AND x."at" = r."at";
