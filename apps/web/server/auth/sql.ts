/**
 * The one database surface auth needs: parameterised queries. The pg pool of @vigil/db satisfies
 * it, so auth shares the history store's pool (PGlite serves one connection at a time).
 */
export interface Sql {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** Rows come from our own tables with known columns: typed here once instead of parsed per row. */
export async function rows<T>(sql: Sql, text: string, values: unknown[] = []): Promise<T[]> {
  const out = await sql.query(text, values);
  return out.rows as T[];
}
