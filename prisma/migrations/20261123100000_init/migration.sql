-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "services" (
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "group" TEXT,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "first_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "services_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "probe_results" (
    "id" BIGSERIAL NOT NULL,
    "uid" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "latency_ms" DOUBLE PRECISION,
    "message" TEXT,
    "detail" JSONB,

    CONSTRAINT "probe_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "uid" UUID NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'transition',
    "service" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "action_id" TEXT,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "actions" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targets" TEXT[],
    "waves" JSONB NOT NULL DEFAULT '[]',
    "requested_by" TEXT NOT NULL,
    "role" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "result" TEXT,
    "message" TEXT,
    "steps" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollup_minute" (
    "service" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "hist" INTEGER[],

    CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("service","check","bucket")
);

-- CreateTable
CREATE TABLE "rollup_hour" (
    "service" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "hist" INTEGER[],

    CONSTRAINT "rollup_hour_pkey" PRIMARY KEY ("service","check","bucket")
);

-- CreateTable
CREATE TABLE "store_meta" (
    "key" TEXT NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "store_meta_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "probe_results_uid_key" ON "probe_results"("uid");

-- CreateIndex
CREATE INDEX "probe_results_service_check_at_idx" ON "probe_results"("service", "check", "at");

-- CreateIndex
CREATE INDEX "probe_results_service_at_idx" ON "probe_results"("service", "at");

-- CreateIndex
CREATE INDEX "probe_results_at_idx" ON "probe_results"("at");

-- CreateIndex
CREATE UNIQUE INDEX "events_uid_key" ON "events"("uid");

-- CreateIndex
CREATE INDEX "events_service_at_idx" ON "events"("service", "at");

-- CreateIndex
CREATE INDEX "events_at_idx" ON "events"("at");

-- CreateIndex
CREATE INDEX "actions_started_at_idx" ON "actions"("started_at");

-- CreateIndex
CREATE INDEX "rollup_minute_bucket_idx" ON "rollup_minute"("bucket");

-- CreateIndex
CREATE INDEX "rollup_hour_bucket_idx" ON "rollup_hour"("bucket");

