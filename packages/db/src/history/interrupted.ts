import type { Db } from "../client.ts";

export const INTERRUPTED_MESSAGE =
  "interrupted: Vigil stopped while this action ran; check the services' state";

/**
 * Marks every action that never finished as failed. Run once at startup, before this process
 * records actions of its own: an unfinished row can only belong to a Vigil that has since stopped
 * (one Vigil per database), and left alone it would show "running" forever.
 */
export async function closeInterruptedActions(db: Db, at: Date = new Date()): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `UPDATE actions SET finished_at = $1, result = 'failed', message = $2
      WHERE finished_at IS NULL RETURNING id`,
    [at, INTERRUPTED_MESSAGE],
  );
  return rows.map((r) => r.id);
}
