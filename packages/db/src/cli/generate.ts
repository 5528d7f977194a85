// Generates the Prisma client into src/generated (also run by postinstall). `prisma generate`
// only checks that a schema-engine binary exists; the native one cannot be downloaded here and is
// not used at run time, so point it at an existing file when none is configured.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cwd = fileURLToPath(new URL("../..", import.meta.url));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const res = spawnSync("prisma", ["generate"], {
  cwd,
  env,
  stdio: "inherit",
  shell: process.platform === "win32",
});
if (res.error) {
  console.error(
    `prisma generate could not start: ${res.error.message} (is the prisma dev dependency installed?)`,
  );
  process.exit(1);
}
process.exit(res.status ?? 1);
