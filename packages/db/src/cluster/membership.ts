import type pg from "pg";

/** One instance as the others see it. */
export interface ClusterMemberRow {
  id: string;
  nodeName: string;
  url: string;
  startedAt: Date;
  lastSeen: Date;
}

export interface Membership {
  /** Registers or refreshes this instance (last_seen = the database's now()). */
  heartbeat(member: Omit<ClusterMemberRow, "lastSeen">): Promise<void>;
  /** Members seen within `ttlMs`, by id: the same order on every instance. */
  live(ttlMs: number): Promise<ClusterMemberRow[]>;
  /** A clean shutdown leaves at once, so the others rebalance without waiting for the TTL. */
  leave(id: string): Promise<void>;
  /** Forgets members not seen for `olderThanMs` (rows of instances long gone). */
  prune(olderThanMs: number): Promise<number>;
}

type Row = { id: string; node_name: string; url: string; started_at: Date; last_seen: Date };

/**
 * Cluster membership in Postgres (table cluster_members). Liveness is judged on the database's
 * clock only, so a member's own clock being off never makes it look dead or alive.
 */
export function createMembership(pool: Pick<pg.Pool, "query">): Membership {
  return {
    async heartbeat(m) {
      await pool.query(
        `INSERT INTO cluster_members (id, node_name, url, started_at, last_seen) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (id) DO UPDATE SET node_name = EXCLUDED.node_name, url = EXCLUDED.url, last_seen = now()`,
        [m.id, m.nodeName, m.url, m.startedAt],
      );
    },
    async live(ttlMs) {
      const { rows } = await pool.query<Row>(
        `SELECT id, node_name, url, started_at, last_seen FROM cluster_members
         WHERE last_seen > now() - $1 * interval '1 millisecond' ORDER BY id`,
        [ttlMs],
      );
      return rows.map((r) => ({
        id: r.id,
        nodeName: r.node_name,
        url: r.url,
        startedAt: r.started_at,
        lastSeen: r.last_seen,
      }));
    },
    async leave(id) {
      await pool.query("DELETE FROM cluster_members WHERE id = $1", [id]);
    },
    async prune(olderThanMs) {
      const out = await pool.query(
        "DELETE FROM cluster_members WHERE last_seen < now() - $1 * interval '1 millisecond'",
        [olderThanMs],
      );
      return out.rowCount ?? 0;
    },
  };
}
