-- AlterTable
ALTER TABLE "probe_results" ADD COLUMN     "value_map" JSONB;

-- CreateTable
CREATE TABLE "rollup_value_minute" (
    "service" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "rollup_value_minute_pkey" PRIMARY KEY ("service","check","name","bucket")
);

-- CreateTable
CREATE TABLE "rollup_value_hour" (
    "service" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "rollup_value_hour_pkey" PRIMARY KEY ("service","check","name","bucket")
);

-- CreateIndex
CREATE INDEX "rollup_value_minute_bucket_idx" ON "rollup_value_minute"("bucket");

-- CreateIndex
CREATE INDEX "rollup_value_hour_bucket_idx" ON "rollup_value_hour"("bucket");
