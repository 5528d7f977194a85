import type pg from "pg";
import type { LeaseHold } from "./lease.ts";

/** A leader-only write attempted with a token that is no longer the live lease's. */
export class StaleLeaseError extends Error {
  constructor(readonly hold: LeaseHold) {
    super(`refused: fencing token ${hold.token} of ${hold.holder} is no longer the leader's`);
    this.name = "StaleLeaseError";
  }
}

/**
 * Runs `work` in one transaction that first checks, under a share lock on the lease row, that
 * `hold` is still the live lease. The lock makes a takeover wait for this transaction to end, so
 * the check and the write are one step: a deposed leader's late write is refused, never applied.
 */
export async function withFence<T>(
  pool: Pick<pg.Pool, "connect">,
  hold: LeaseHold,
  work: (client: pg.PoolClient) => Promise<T>,
  name = "leader",
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const { rowCount } = await client.query(
      `SELECT 1 FROM cluster_lease WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > now()
       FOR SHARE`,
      [name, hold.holder, hold.token.toString()],
    );
    if (rowCount !== 1) throw new StaleLeaseError(hold);
    const out = await work(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    // A client whose rollback failed may still be in the transaction: it is destroyed, not reused.
    client.release(broken);
  }
}

/**
 * Claims a leader-only occasion once (a restart for one exit, one job trigger, one delivery):
 * true = this holder may act; false = already claimed (by this or an earlier leader). Throws
 * StaleLeaseError when `hold` is no longer the leader's.
 */
export async function claimDecision(
  pool: Pick<pg.Pool, "connect">,
  hold: LeaseHold,
  key: string,
  kind: string,
): Promise<boolean> {
  return withFence(pool, hold, async (client) => {
    const { rowCount } = await client.query(
      `INSERT INTO cluster_decisions (key, kind, token, holder) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO NOTHING`,
      [key, kind, hold.token.toString(), hold.holder],
    );
    return rowCount === 1;
  });
}
