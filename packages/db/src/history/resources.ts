import type pg from "pg";
import type { ResourceInput } from "./types.ts";
import { aggregateValues, storableValues, upsertValueRollups } from "./values.ts";

/**
 * Resource samples: raw rows in resource_samples, rollups beside check values under a check name
 * no config can use (check names are [a-zA-Z0-9_.-]+), so the value queries, charts and retention
 * serve resources without a second set of tables.
 */
export const RESOURCE_CHECK = "@resources";

const MINUTE = 60_000;
const HOUR = 3_600_000;

const INSERT = `
INSERT INTO resource_samples (uid, service, at, value_map)
SELECT u, s, a, v::jsonb
FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[]) AS t(u, s, a, v)
ON CONFLICT (uid) DO NOTHING
RETURNING uid`;

type Sample = ResourceInput & { id: string };

/** Inserts samples and rolls up only those newly inserted (a retried batch cannot count twice). */
export async function insertResources(client: pg.PoolClient, samples: readonly Sample[]): Promise<number> {
  const rows = samples.flatMap((s) => {
    const values = storableValues(s.values);
    return values === null ? [] : [{ ...s, values, service: s.service.replaceAll("\u0000", "") }];
  });
  if (rows.length === 0) return 0;
  const res = await client.query<{ uid: string }>(INSERT, [
    rows.map((r) => r.id),
    rows.map((r) => r.service),
    rows.map((r) => r.at.toISOString()),
    rows.map((r) => JSON.stringify(r.values)),
  ]);
  const fresh = new Set(res.rows.map((r) => r.uid));
  const inserted = rows.filter((r) => fresh.delete(r.id)).map((r) => ({ ...r, check: RESOURCE_CHECK }));
  await upsertValueRollups(client, "rollup_value_minute", aggregateValues(inserted, MINUTE));
  await upsertValueRollups(client, "rollup_value_hour", aggregateValues(inserted, HOUR));
  return inserted.length;
}
