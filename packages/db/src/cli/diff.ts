// `pnpm db:diff NAME`: writes a new prisma/migrations/<timestamp>_NAME from schema.prisma changes.
import { diffToMigration } from "../migrate/diff.ts";

const name = process.argv[2];
if (!name) {
  console.error("Usage: pnpm db:diff NAME   (e.g. pnpm db:diff add_service_owner)");
  process.exit(2);
}
try {
  const out = await diffToMigration(name);
  console.log(out.created ? `Created ${out.dir}` : "no changes");
} catch (err) {
  console.error(`db:diff failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
