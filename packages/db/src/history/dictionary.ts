import type pg from "pg";

/*
 * The raw row names its (service, check) and its message by small integers (issue 20): the
 * `series` and `reasons` tables. Ids are resolved in their own statements before the batch
 * transaction, so a cached id is always committed; an entry orphaned by a failed batch is harmless.
 */

/** Entries kept per cache; past it the cache starts over (ids stay valid, only lookups repeat). */
const MAX_CACHED = 50_000;

const SERIES_SQL = `
WITH input AS (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS t(service, "check")),
ins AS (INSERT INTO series (service, "check") SELECT service, "check" FROM input ON CONFLICT DO NOTHING
        RETURNING id, service, "check")
SELECT id, service, "check" FROM ins
UNION ALL SELECT s.id, s.service, s."check" FROM series s JOIN input i USING (service, "check")`;

const REASONS_SQL = `
WITH input AS (SELECT DISTINCT t AS text, md5(t)::uuid AS key FROM unnest($1::text[]) AS u(t)),
ins AS (INSERT INTO reasons (key, text) SELECT key, text FROM input ON CONFLICT (key) DO NOTHING
        RETURNING id, text)
SELECT id, text FROM ins
UNION ALL SELECT r.id, i.text FROM reasons r JOIN input i USING (key)`;

const seriesKey = (service: string, check: string) => `${service}\u0000${check}`;

export class Dictionaries {
  private readonly series = new Map<string, number>();
  private readonly reasons = new Map<string, number>();

  /** Ids of these (service, check) pairs, creating the missing ones; keyed by seriesKey. */
  async seriesIds(
    client: pg.PoolClient,
    pairs: readonly { service: string; check: string }[],
  ): Promise<(service: string, check: string) => number> {
    const missing = new Map<string, { service: string; check: string }>();
    for (const p of pairs) {
      const k = seriesKey(p.service, p.check);
      if (!this.series.has(k)) missing.set(k, p);
    }
    if (missing.size > 0) {
      if (this.series.size + missing.size > MAX_CACHED) this.series.clear();
      const list = [...missing.values()];
      // A pair inserted concurrently by another writer after our snapshot is in neither half of
      // the query; the second round sees it.
      for (let round = 0; round < 3 && list.length > 0; round++) {
        const { rows } = await client.query<{ id: number; service: string; check: string }>(SERIES_SQL, [
          list.map((p) => p.service),
          list.map((p) => p.check),
        ]);
        for (const r of rows) this.series.set(seriesKey(r.service, r.check), r.id);
        list.splice(0, list.length, ...list.filter((p) => !this.series.has(seriesKey(p.service, p.check))));
      }
    }
    return (service, check) => {
      const id = this.series.get(seriesKey(service, check));
      if (id === undefined) throw new Error(`series (${service}, ${check}) has no id`);
      return id;
    };
  }

  /** Ids of these message texts, creating the missing ones. */
  async reasonIds(client: pg.PoolClient, texts: readonly string[]): Promise<(text: string) => number> {
    const missing = new Set<string>();
    for (const t of texts) if (!this.reasons.has(t)) missing.add(t);
    if (missing.size > 0) {
      if (this.reasons.size + missing.size > MAX_CACHED) this.reasons.clear();
      let list = [...missing];
      for (let round = 0; round < 3 && list.length > 0; round++) {
        const { rows } = await client.query<{ id: number; text: string }>(REASONS_SQL, [list]);
        for (const r of rows) this.reasons.set(r.text, r.id);
        list = list.filter((t) => !this.reasons.has(t));
      }
    }
    return (text) => {
      const id = this.reasons.get(text);
      if (id === undefined) throw new Error(`reason ${JSON.stringify(text.slice(0, 80))} has no id`);
      return id;
    };
  }
}
