-- CreateTable
CREATE TABLE "cluster_members" (
    "id" TEXT NOT NULL,
    "node_name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cluster_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cluster_lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT,
    "token" BIGINT NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cluster_lease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "cluster_decisions" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "token" BIGINT NOT NULL,
    "holder" TEXT NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cluster_decisions_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "cluster_members_last_seen_idx" ON "cluster_members"("last_seen");

-- CreateIndex
CREATE INDEX "cluster_decisions_decided_at_idx" ON "cluster_decisions"("decided_at");
