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
 * A usable build of the dashboard: others rebuild apps/web on this shared machine, so a build is
 * used only once complete (BUILD_ID, route stats, every first-load chunk, the server bundle) and
 * unchanged for 10 s; one is made when none appears within 3 minutes. Returns a note saying which.
 */
export async function ensureWebBuild(): Promise<string> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const ready = await completeBuildAge();
    if (ready !== undefined && ready > 10_000) {
      const { mtime } = await stat(statsFile);
      return `used the existing build of apps/web from ${mtime.toISOString()}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const t0 = performance.now();
  await promisify(execFile)("pnpm", ["--filter", "@vigil/web", "build"], {
    cwd: repoRoot,
    timeout: 300_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  return `built apps/web (pnpm --filter @vigil/web build) in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
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
