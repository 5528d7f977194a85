import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

export type SchemaEngine = bg.SchemaEngine;

interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: object,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
// The project's lib settings (ES2023 + node types) declare WebAssembly only as a type namespace.
const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let wasmReady: Promise<void> | null = null;

/**
 * Node 20 cannot `import` a .wasm module, so the package's own entry point fails; instantiate the
 * wasm by hand and wire it to the JS glue (once per process: the glue holds the instance).
 */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    // The .wasm is not in the package's exports map: locate it next to the exported JS glue.
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = gluePath.replace(/\.js$/, ".wasm");
    const bytes = await readFile(wasmPath);
    const { instance } = await wasmApi().instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

export interface EngineOptions {
  databaseUrl: string;
  /** Pool size for the engine's connections; 1 for PGlite's single-connection socket server. */
  maxConnections?: number;
  schema?: { path: string; content: string };
  log?: (line: string) => void;
}

/** Runs `fn` with a schema engine connected to `databaseUrl`, freeing the engine afterwards. */
export async function withEngine<T>(
  opts: EngineOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  // Our own pool, ended in `finally`: engine.free() does not close connections, and a lingering
  // one would block PGlite's single-connection server (and keep a CLI process alive).
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.maxConnections ?? 1 });
  pool.on("error", () => {});
  const adapter = new PrismaPg(pool);
  const log = opts.log ?? (() => {});
  const datamodels: [string, string][] | undefined = opts.schema
    ? [[opts.schema.path, opts.schema.content]]
    : undefined;
  const engine = await bg.SchemaEngine.new(
    { datamodels },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pool.end().catch(() => {});
  }
}
