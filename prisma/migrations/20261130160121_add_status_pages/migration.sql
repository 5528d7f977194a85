-- CreateTable
CREATE TABLE "status_pages" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "logo_url" TEXT,
    "logo_type" TEXT,
    "logo_data" BYTEA,
    "password_hash" TEXT,
    "custom_domain" TEXT,
    "components" JSONB NOT NULL DEFAULT '[]',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_notices" (
    "id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "incident_id" TEXT,
    "components" TEXT[],
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_page_updates" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "status_page_updates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "badges" (
    "id" UUID NOT NULL,
    "key_hash" TEXT NOT NULL,
    "target_kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "window" TEXT,
    "label" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "badges_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "status_pages_slug_key" ON "status_pages"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "status_pages_custom_domain_key" ON "status_pages"("custom_domain");

-- CreateIndex
CREATE INDEX "status_notices_page_id_starts_at_idx" ON "status_notices"("page_id", "starts_at");

-- CreateIndex
CREATE INDEX "status_page_updates_notice_id_at_idx" ON "status_page_updates"("notice_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "badges_key_hash_key" ON "badges"("key_hash");

-- AddForeignKey
ALTER TABLE "status_notices" ADD CONSTRAINT "status_notices_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "status_pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_page_updates" ADD CONSTRAINT "status_page_updates_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "status_notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
