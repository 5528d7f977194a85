import type { Notification, SentRequest } from "../../notify/types.ts";

export const DELIVERY_STATES = ["pending", "sent", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One notification for one channel: the unit that is stored, sent, retried and given up on. */
export interface OutboxEntry {
  /** `<notification id>/<channel>`: stable, so writing an entry twice keeps one row. */
  id: string;
  channel: string;
  notification: Notification;
  createdAt: number;
  state: DeliveryState;
  attempts: number;
  /** When the next attempt is due (pending entries). */
  nextAttemptAt: number;
  lastError?: string | undefined;
  sentAt?: number | undefined;
}

/** One try to deliver an entry, for the delivery log. `request` is already redacted. */
export interface DeliveryAttempt {
  /** `<entry id>#<attempt number>`: stable, so recording an attempt twice keeps one row. */
  id: string;
  entryId: string;
  channel: string;
  at: number;
  durationMs: number;
  ok: boolean;
  status?: number | undefined;
  error?: string | undefined;
  request?: SentRequest | undefined;
  response?: string | undefined;
}

/**
 * Where the outbox lives durably (Postgres via packages/db). The engine never imports a database
 * client; the app passes an implementation. Every method must be idempotent on the ids above:
 * after a failure the same write is tried again.
 */
export interface OutboxStore {
  add(entries: readonly OutboxEntry[], signal: AbortSignal): Promise<void>;
  /** Stores each entry's new state and the attempt that led to it (oldest first; an entry may repeat). */
  record(
    batch: readonly { entry: OutboxEntry; attempt: DeliveryAttempt }[],
    signal: AbortSignal,
  ): Promise<void>;
  /** Entries still `pending`, oldest first: what a restarted Vigil must still send. */
  pending(signal: AbortSignal): Promise<OutboxEntry[]>;
}

export const entryId = (notificationId: string, channel: string): string => `${notificationId}/${channel}`;
