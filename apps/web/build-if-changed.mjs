// `pnpm start` on an unchanged checkout must not pay for a full `next build` (~15 s here, ~1 GB
// peak). The build's inputs are hashed by content; when the hash matches the one recorded by the
// last successful build and its outputs still exist, the build is skipped.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(webDir, "../..");
const stampFile = join(webDir, ".next", "vigil-build-inputs.sha256");
const outputs = [join(webDir, ".next", "BUILD_ID"), join(webDir, "dist", "server.js")];

// Generated or test-only paths never change what the server runs.
const skipDirs = new Set([
  "node_modules",
  ".next",
  "dist",
  "e2e",
  "test-results",
  "playwright-report",
  "testing",
  "generated",
  ".vigil",
]);
const isInput = (name) => !/\.(test|spec)\.[cm]?[jt]sx?$/.test(name);

function walk(dir, files) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skipDirs.has(entry.name)) walk(join(dir, entry.name), files);
    } else if (entry.isFile() && isInput(entry.name)) {
      files.push(join(dir, entry.name));
    }
  }
  return files;
}

function inputsHash() {
  const files = [
    ...walk(webDir, []),
    ...readdirSync(join(root, "packages")).flatMap((p) => walk(join(root, "packages", p), [])),
    join(root, "prisma", "schema.prisma"),
    join(root, "pnpm-lock.yaml"),
    join(root, "package.json"),
  ]
    .filter((f) => existsSync(f))
    .sort();
  const hash = createHash("sha256");
  hash.update(process.version);
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const wanted = inputsHash();
const recorded = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
if (recorded === wanted && outputs.every((f) => existsSync(f))) {
  console.log("build: sources unchanged since the last build, skipping (delete apps/web/.next to force one)");
  process.exit(0);
}
const run = spawnSync("pnpm", ["run", "build"], { cwd: webDir, stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);
writeFileSync(stampFile, `${wanted}\n`);
