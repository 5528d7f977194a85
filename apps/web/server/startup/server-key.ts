import { createHmac, randomBytes } from "node:crypto";
import type { Sql } from "../auth/sql.ts";
import { AuthStore } from "../auth/store.ts";

/** Keys the server derives for one purpose each, with the row that holds them without VIGIL_SECRET. */
const PURPOSES = {
  /** Push URLs (/api/push/<token>). */
  push: { label: "vigil push key v1", row: "push_key" },
  /** Instance-to-instance requests in a cluster (forwarded actions). */
  cluster: { label: "vigil cluster key v1", row: "cluster_key" },
} as const;

/**
 * The key for `purpose`: from VIGIL_SECRET when set (it survives a new database, and every
 * instance given the same secret agrees), else a random key stored once beside the other server
 * secrets (first writer wins, so instances starting together agree too).
 */
export async function serverKey(
  sql: Sql,
  secret: string | undefined,
  purpose: keyof typeof PURPOSES,
): Promise<string> {
  const { label, row } = PURPOSES[purpose];
  if (secret) return createHmac("sha256", secret).update(label).digest("hex");
  return new AuthStore(sql).secret(row, randomBytes(32).toString("hex"));
}
