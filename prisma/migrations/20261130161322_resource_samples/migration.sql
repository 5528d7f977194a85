-- CreateTable
CREATE TABLE "resource_samples" (
    "id" BIGSERIAL NOT NULL,
    "uid" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "value_map" JSONB NOT NULL,

    CONSTRAINT "resource_samples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "resource_samples_uid_key" ON "resource_samples"("uid");

-- CreateIndex
CREATE INDEX "resource_samples_service_at_idx" ON "resource_samples"("service", "at");

-- CreateIndex
CREATE INDEX "resource_samples_at_idx" ON "resource_samples"("at");
