-- CreateTable
CREATE TABLE "alert_outbox" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "notification_id" TEXT NOT NULL,
    "incident_key" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "notification" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "alert_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "entry_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "request" JSONB,
    "response" TEXT,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "key" TEXT NOT NULL,
    "root_service" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "affected" TEXT[],
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "incident_events" (
    "id" TEXT NOT NULL,
    "incident_key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "text" TEXT NOT NULL,

    CONSTRAINT "incident_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_silences" (
    "id" BIGSERIAL NOT NULL,
    "service" TEXT NOT NULL,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "until_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "alert_silences_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_outbox_state_created_at_idx" ON "alert_outbox"("state", "created_at");

-- CreateIndex
CREATE INDEX "alert_outbox_channel_created_at_idx" ON "alert_outbox"("channel", "created_at");

-- CreateIndex
CREATE INDEX "alert_outbox_incident_key_idx" ON "alert_outbox"("incident_key");

-- CreateIndex
CREATE INDEX "alert_deliveries_entry_id_idx" ON "alert_deliveries"("entry_id");

-- CreateIndex
CREATE INDEX "alert_deliveries_channel_at_idx" ON "alert_deliveries"("channel", "at");

-- CreateIndex
CREATE INDEX "incidents_opened_at_idx" ON "incidents"("opened_at");

-- CreateIndex
CREATE INDEX "incidents_root_service_opened_at_idx" ON "incidents"("root_service", "opened_at");

-- CreateIndex
CREATE INDEX "incident_events_incident_key_at_idx" ON "incident_events"("incident_key", "at");

-- CreateIndex
CREATE INDEX "alert_silences_until_at_idx" ON "alert_silences"("until_at");
