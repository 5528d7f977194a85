// Bundles server.ts (and the workspace packages it uses, which export .ts source that plain
// `node` cannot load) into dist/server.js. Everything from npm stays external: Next, React and
// Socket.IO must be the same copies Next's build uses, and native/wasm packages (PGlite, Prisma's
// engines, dockerode's optional natives) cannot be bundled.
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const webDir = dirname(fileURLToPath(import.meta.url));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * A bare import from apps/web resolves from apps/web/node_modules, so it stays as written. One
 * from a bundled workspace package (packages/db importing "pg") would not resolve from dist/
 * under pnpm's strict layout, so it becomes an external import of the file it resolves to.
 */
const externals = {
  name: "vigil-externals",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.vigil) return undefined;
      if (builtins.has(args.path)) return { path: args.path, external: true };
      if (args.path.startsWith("@vigil/")) return undefined;
      const fromWeb =
        !relative(webDir, args.importer).startsWith("..") &&
        !args.importer.includes(`${sep}node_modules${sep}`);
      if (fromWeb) return { path: args.path, external: true };
      const found = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { vigil: true },
      });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: found.path, external: true };
    });
  },
};

/**
 * Workspace packages find files relative to their own source (packages/db locates
 * prisma/migrations and Prisma's schema-engine wasm from `import.meta.url`). Bundled, that would
 * point at dist/server.js, so each of their modules keeps its original URL.
 */
const ownUrls = {
  name: "vigil-own-import-meta",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const inWeb = !relative(webDir, args.path).startsWith("..");
      if (inWeb || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, "utf8");
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

await build({
  entryPoints: [resolve(webDir, "server.ts")],
  outfile: resolve(webDir, "dist/server.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  plugins: [externals, ownUrls],
  // Bundled CommonJS helpers may call require(); give the ESM bundle one.
  banner: {
    js: 'import { createRequire as __vigilRequire } from "node:module"; const require = __vigilRequire(import.meta.url);',
  },
});
console.log("built dist/server.js");
