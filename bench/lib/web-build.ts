import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { repoRoot } from "./paths.ts";

export const webDir = path.join(repoRoot, "apps", "web");
const statsFile = path.join(webDir, ".next", "diagnostics", "route-bundle-stats.json");
export const serverBundle = path.join(webDir, "dist", "server.js");

/**
 * A build of the dashboard made from the sources as they are: `build:if-changed` rebuilds only when
 * the sources differ from the last build's (a bench must never time a build older than the code it
 * reports on). Others may be building apps/web on this shared machine: first wait up to 3 minutes
 * for a build in progress to complete (unchanged for 10 s). Returns a note saying what was done.
 */
export async function ensureWebBuild(): Promise<string> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const age = await completeBuildAge();
    if (age === undefined || age > 10_000) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const t0 = performance.now();
  const { stdout } = await promisify(execFile)(
    "pnpm",
    ["--filter", "@vigil/web", "run", "build:if-changed"],
    {
      cwd: repoRoot,
      timeout: 300_000,
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  if (stdout.includes("sources unchanged")) {
    const { mtime } = await stat(statsFile);
    return `used the build of apps/web from ${mtime.toISOString()} (sources unchanged since)`;
  }
  return `built apps/web (build:if-changed: sources changed) in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
}

/** Milliseconds since a complete build was last written, or undefined while none is complete. */
async function completeBuildAge(): Promise<number | undefined> {
  const buildId = path.join(webDir, ".next", "BUILD_ID");
  if (!existsSync(buildId) || !existsSync(statsFile) || !existsSync(serverBundle)) return undefined;
  try {
    const rows = JSON.parse(await readFile(statsFile, "utf8")) as RouteStats[];
    const chunks = rows.flatMap((r) => r.firstLoadChunkPaths);
    if (!chunks.every((c) => existsSync(path.join(webDir, c)))) return undefined;
    const newest = Math.max(
      ...(await Promise.all([buildId, statsFile, serverBundle].map((f) => stat(f)))).map((s) => s.mtimeMs),
    );
    return Date.now() - newest;
  } catch {
    return undefined; // caught mid-write
  }
}

interface RouteStats {
  route: string;
  firstLoadUncompressedJsBytes: number;
  firstLoadChunkPaths: string[];
}

/** First-load JS of a route as Next lists it, gzipped chunk by chunk (as a server would send it). */
export async function firstLoadJs(
  route: string,
): Promise<{ raw: number; gzip: number; chunks: number; routes: string[] }> {
  const rows = JSON.parse(await readFile(statsFile, "utf8")) as RouteStats[];
  const row = rows.find((r) => r.route === route);
  if (!row)
    throw new Error(
      `route ${route} not in route-bundle-stats.json (routes: ${rows.map((r) => r.route).join(", ")})`,
    );
  let gzip = 0;
  for (const chunk of row.firstLoadChunkPaths)
    gzip += gzipSync(await readFile(path.join(webDir, chunk)), { level: 9 }).byteLength;
  return {
    raw: row.firstLoadUncompressedJsBytes,
    gzip,
    chunks: row.firstLoadChunkPaths.length,
    routes: rows.map((r) => r.route),
  };
}
