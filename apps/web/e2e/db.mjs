// Creates or drops the throwaway e2e database on the real Postgres (127.0.0.1:5432):
//   node e2e/db.mjs create <name> | drop <name>
// `pg` comes from @vigil/db (the workspace package that owns the database), so the web app needs
// no second copy of it.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../../packages/db/package.json"));
const { Client } = require("pg");

const [verb, name] = process.argv.slice(2);
if (!["create", "drop"].includes(verb) || !/^[a-z0-9_]+$/.test(name ?? "")) {
  console.error("usage: node e2e/db.mjs create|drop <name> (lowercase letters, digits, _)");
  process.exit(2);
}
const admin = process.env.VIGIL_E2E_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const client = new Client({ connectionString: admin, connectionTimeoutMillis: 5000, query_timeout: 20_000 });
try {
  await client.connect();
  if (verb === "create") {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } else {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  console.log(`[e2e] database ${name}: ${verb === "create" ? "created" : "dropped"}`);
} catch (err) {
  console.error(`[e2e] could not ${verb} database ${name}: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
} finally {
  await client.end().catch(() => undefined);
}
