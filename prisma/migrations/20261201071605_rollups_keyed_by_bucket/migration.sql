-- rollup_minute and rollup_hour: the primary key becomes (service, bucket, check) instead of
-- (service, check, bucket) (issue 20, query). A chart reads the buckets of one service in a time
-- range without naming a check. With check second, only the service bounded the index scan, so a
-- 24-hour chart walked every minute the service had kept (43,200 index entries for 30 days,
-- 8.5 ms), then sorted them. Bucket second makes it one contiguous range already in time order
-- (1.9 ms). The ON CONFLICT of the writer names the columns, not their order: it keeps using this
-- key. Each table is rewritten under an exclusive lock while its key is rebuilt (about 0.5 s per
-- 400,000 rows here), and rollup upserts by the writer wait for it. No semicolon in these comments:
-- the driver adapter splits a migration script at every one.

-- AlterTable
ALTER TABLE "rollup_minute" DROP CONSTRAINT "rollup_minute_pkey",
ADD CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("service", "bucket", "check");

-- AlterTable
ALTER TABLE "rollup_hour" DROP CONSTRAINT "rollup_hour_pkey",
ADD CONSTRAINT "rollup_hour_pkey" PRIMARY KEY ("service", "bucket", "check");
