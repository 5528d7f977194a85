/**
 * A Postgres database as the libpq tools (pg_dump, pg_restore) and node-postgres reach it: the
 * password travels in PGPASSWORD, never in argv (where `ps` shows it) nor in log lines.
 */
export interface PgConnection {
  /** postgres://user:password@host:port/db; without it the libpq defaults (PG* env) apply. */
  url?: string;
  database?: string;
}

export interface PgTarget {
  /** For `--dbname` (a URL without its password, or a bare database name). */
  dbname: string;
  env: Record<string, string>;
  /** For node-postgres. */
  clientConfig: { connectionString?: string; database?: string; password?: string };
  /** What a log line may say. */
  display: string;
  password: string | undefined;
}

export function pgTarget(conn: PgConnection, database?: string): PgTarget {
  const db = database ?? conn.database;
  if (!conn.url) {
    const name = db ?? "postgres";
    return {
      dbname: name,
      env: {},
      clientConfig: { database: name },
      display: `database ${name}`,
      password: undefined,
    };
  }
  const url = new URL(conn.url);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = "";
  if (db) url.pathname = `/${encodeURIComponent(db)}`;
  const bare = url.toString();
  return {
    dbname: bare,
    env: password ? { PGPASSWORD: password } : {},
    clientConfig: { connectionString: bare, ...(password ? { password } : {}) },
    display: bare,
    password,
  };
}

/** A log function that masks the given secrets wherever a tool quotes them. */
export function masking(log: (line: string) => void, secrets: readonly (string | undefined)[]) {
  const found = secrets.filter((s): s is string => s !== undefined && s.length > 0);
  return (line: string) => log(found.reduce((text, secret) => text.split(secret).join("***"), line));
}
