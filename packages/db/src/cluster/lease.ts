import type pg from "pg";

/** A lease held: who holds it and the fencing token its acts must carry. */
export interface LeaseHold {
  holder: string;
  /** Grows by one at every change of holder (and after a lapse): a stale holder's token is smaller. */
  token: bigint;
}

export interface Lease {
  /**
   * Takes the lease when it is free or lapsed, or renews it when `holder` has it. Null = another
   * instance holds a live lease. One statement, so two instances racing cannot both win.
   */
  acquire(holder: string, ttlMs: number): Promise<LeaseHold | null>;
  /** Gives the lease up at once (clean shutdown), so the next leader need not wait for expiry. */
  release(hold: LeaseHold): Promise<void>;
  /** The current holder, if its lease is live. */
  current(): Promise<LeaseHold | null>;
}

/**
 * The leader lease as a row (table cluster_lease) rather than an advisory lock: an advisory lock
 * lives on one connection (a pool recycling it, or a proxy in between, silently drops it) and has
 * no number to fence with. A row with an expiry on the database's clock and a growing token gives
 * both, and a fenced write can check it in its own transaction (`withFence`).
 */
export function createLease(pool: Pick<pg.Pool, "query">, name = "leader"): Lease {
  return {
    async acquire(holder, ttlMs) {
      // Renewing a live lease keeps the token; taking it over (or re-taking a lapsed one) bumps it,
      // since acts under the lapsed lease may already have been refused.
      const { rows } = await pool.query<{ token: string }>(
        `INSERT INTO cluster_lease AS l (name, holder, token, expires_at)
         VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET
           holder = EXCLUDED.holder,
           token = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.token ELSE l.token + 1 END,
           expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.holder IS NULL OR l.expires_at <= now()
         RETURNING token`,
        [name, holder, ttlMs],
      );
      const row = rows[0];
      return row ? { holder, token: BigInt(row.token) } : null;
    },
    async release(hold) {
      await pool.query(
        "UPDATE cluster_lease SET holder = NULL, expires_at = now() WHERE name = $1 AND holder = $2 AND token = $3",
        [name, hold.holder, hold.token.toString()],
      );
    },
    async current() {
      const { rows } = await pool.query<{ holder: string; token: string }>(
        "SELECT holder, token FROM cluster_lease WHERE name = $1 AND holder IS NOT NULL AND expires_at > now()",
        [name],
      );
      const row = rows[0];
      return row ? { holder: row.holder, token: BigInt(row.token) } : null;
    },
  };
}
