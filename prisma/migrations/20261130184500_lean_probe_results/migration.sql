-- Lean raw results (issue 20): the old probe_results row (uuid, two strings, text status, float
-- latency, message, two jsonb, three indexes) took ~490 bytes a result. Now a row is
-- (series_id int4, at, status int2, latency_us int4, reason_id int4), partitioned by day so
-- retention drops whole partitions, with strings in the series and reasons dictionaries and
-- the rare detail/values in a side table. Every old row is moved and probe_results becomes a view
-- with the old columns (less id/uid), so readers that only select keep working.

-- CreateTable
CREATE TABLE "series" (
    "id" SERIAL NOT NULL,
    "service" TEXT NOT NULL,
    "check" TEXT NOT NULL,

    CONSTRAINT "series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reasons" (
    "id" SERIAL NOT NULL,
    "key" UUID NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "reasons_pkey" PRIMARY KEY ("id")
);

-- CreateTable (partitioned: not expressible in schema.prisma)
CREATE TABLE "probe_rows" (
    "series_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "status" SMALLINT NOT NULL,
    "latency_us" INTEGER,
    "reason_id" INTEGER,

    CONSTRAINT "probe_rows_pkey" PRIMARY KEY ("series_id","at")
) PARTITION BY RANGE ("at");

-- CreateTable (partitioned)
CREATE TABLE "probe_row_extras" (
    "series_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "detail" JSONB,
    "value_map" JSONB,

    CONSTRAINT "probe_row_extras_pkey" PRIMARY KEY ("series_id","at")
) PARTITION BY RANGE ("at");

-- CreateIndex
CREATE UNIQUE INDEX "series_service_check_key" ON "series"("service", "check");

-- CreateIndex
CREATE UNIQUE INDEX "reasons_key_key" ON "reasons"("key");

-- Safety nets: a row for a day without its partition lands here until that day's partition is
-- made (packages/db/src/history/partitions.ts makes them and moves such rows in). The moved old
-- rows start here too. No function is defined here: the migration runner splits scripts at
-- every semicolon, so a plpgsql body cannot pass through it.
CREATE TABLE "probe_rows_default" PARTITION OF "probe_rows" DEFAULT;
CREATE TABLE "probe_row_extras_default" PARTITION OF "probe_row_extras" DEFAULT;

-- Move the old rows. Two old rows of one check at the same millisecond (distinct uids) must both
-- survive the new (series_id, at) key: the later ones move by a microsecond each, which a
-- millisecond clock (JavaScript's Date) never shows.
ALTER TABLE "probe_results" RENAME TO "probe_results_old";

INSERT INTO "series" ("service", "check")
SELECT DISTINCT "service", "check" FROM "probe_results_old" ORDER BY 1, 2;

INSERT INTO "reasons" ("key", "text")
SELECT DISTINCT md5("message")::uuid, "message" FROM "probe_results_old" WHERE "message" IS NOT NULL
ON CONFLICT ("key") DO NOTHING;

INSERT INTO "probe_rows" ("series_id", "at", "status", "latency_us", "reason_id")
SELECT series_id, at, status, latency_us, reason_id FROM (
  SELECT s."id" AS series_id,
         o."at" + (row_number() OVER (PARTITION BY s."id", o."at" ORDER BY o."id") - 1) * interval '1 microsecond' AS at,
         CASE o."status" WHEN 'healthy' THEN 0 WHEN 'degraded' THEN 1 ELSE 2 END::smallint AS status,
         CASE WHEN o."latency_ms" IS NULL OR o."latency_ms" = 'NaN'::float8 THEN NULL
              ELSE greatest(-2147483647, least(2147483647, round(o."latency_ms" * 1000)))::int END AS latency_us,
         r."id" AS reason_id
  FROM "probe_results_old" o
  JOIN "series" s ON s."service" = o."service" AND s."check" = o."check"
  LEFT JOIN "reasons" r ON r."key" = md5(o."message")::uuid
) AS moving;

INSERT INTO "probe_row_extras" ("series_id", "at", "detail", "value_map")
SELECT series_id, at, "detail", "value_map" FROM (
  SELECT s."id" AS series_id,
         o."at" + (row_number() OVER (PARTITION BY s."id", o."at" ORDER BY o."id") - 1) * interval '1 microsecond' AS at,
         o."detail", o."value_map"
  FROM "probe_results_old" o
  JOIN "series" s ON s."service" = o."service" AND s."check" = o."check"
) AS moving
WHERE "detail" IS NOT NULL OR "value_map" IS NOT NULL;

DROP TABLE "probe_results_old";

-- The old shape, for readers: every column but id/uid, names and types as before.
CREATE VIEW "probe_results" AS
SELECT s."service", s."check", r."at",
       (CASE r."status" WHEN 0 THEN 'healthy' WHEN 1 THEN 'degraded' ELSE 'unhealthy' END)::text AS "status",
       r."latency_us"::float8 / 1000 AS "latency_ms",
       m."text" AS "message", x."detail", x."value_map", r."series_id"
FROM "probe_rows" r
JOIN "series" s ON s."id" = r."series_id"
LEFT JOIN "reasons" m ON m."id" = r."reason_id"
LEFT JOIN "probe_row_extras" x ON x."series_id" = r."series_id" AND x."at" = r."at";
