import { setFlagsFromString } from "node:v8";

/*
 * Memory settings of the embedded Postgres. PGlite runs Postgres inside one WebAssembly memory that
 * only grows, so every buffer Postgres sizes at start (or fills once) stays resident for the life of
 * the process. Its defaults are a server's: shared_buffers 160 MB, maintenance_work_mem 64 MB,
 * max_connections 100. Measured on Vigil's demo (see BENCHMARKS.md, "embedded"), those defaults made
 * the WASM heap ~150 MB of a ~530 MB process.
 *
 * The data files live on the real filesystem (NODEFS), so reads the smaller buffer pool misses are
 * served by the kernel's page cache, which the OS reclaims under pressure and which is not the
 * process's RSS.
 */
export const EMBEDDED_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: "16MB",
  // Per sort/hash node; Vigil's queries sort at most a day of one service's rollups.
  work_mem: "2MB",
  // Index builds in migrations; 8 MB builds them in a few passes instead of one.
  maintenance_work_mem: "8MB",
  temp_buffers: "1MB",
  // One session serves every client (PGliteSocketServer); each slot sizes lock and proc arrays.
  max_connections: "4",
};

/** PGlite's own start parameters (its defaults, which `startParams` replaces) plus ours. */
const PGLITE_START_PARAMS = [
  "--single",
  "-F",
  "-O",
  "-j",
  "-c",
  "search_path=public",
  "-c",
  "exit_on_error=false",
  "-c",
  "log_checkpoints=false",
  "-c",
  "max_worker_processes=0",
  "-c",
  "max_parallel_workers=0",
  "-c",
  "max_parallel_workers_per_gather=0",
  "-c",
  "io_method=sync",
  "-c",
  "max_parallel_maintenance_workers=0",
];

export function embeddedStartParams(settings = EMBEDDED_POSTGRES_SETTINGS): string[] {
  return [...PGLITE_START_PARAMS, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

/**
 * V8 compiles Postgres' 9 MB of WASM twice by default: a quick baseline (Liftoff) at once, then an
 * optimised copy (TurboFan) of hot functions in the background, and keeps both. Baseline code alone
 * is ~30 MB less resident; Vigil's embedded load (tens of small statements a second) does not need
 * the optimised code. The flag is read when a module is compiled, so it must be set before PGlite
 * loads; it applies to every WASM module compiled later in this process.
 */
export function preferBaselineWasm(): void {
  setFlagsFromString("--liftoff-only");
}
