// `pnpm db:migrate`: applies prisma/migrations to DATABASE_URL with the WASM schema engine.
import { redact } from "../client.ts";
import { migrate } from "../migrate/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("db:migrate: DATABASE_URL is not set (e.g. postgresql://user@127.0.0.1:5432/vigil).");
  console.error("Vigil migrates its embedded database itself on `pnpm start`.");
  process.exit(2);
}
try {
  const { applied } = await migrate(url);
  console.log(
    applied.length ? `Applied ${applied.length}: ${applied.join(", ")}` : "Database is up to date.",
  );
} catch (err) {
  console.error(
    `db:migrate failed on ${redact(url)}: ${redact(err instanceof Error ? err.message : String(err))}`,
  );
  process.exit(1);
}
