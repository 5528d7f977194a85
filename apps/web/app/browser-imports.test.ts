import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The board's first load: every module the layout and the board import statically ends up in
 * the JavaScript a fresh browser downloads for `/`. Zod is not among them: Turbopack keeps every
 * core type even of zod/mini (~24 kB gzip, the contracts ~4.5 more), so the board reaches its
 * schemas only through import() (`_lib/schemas.ts`, loaded after first paint; BENCHMARKS.md,
 * "First-load JS, round three"). This walks the static import graph as the bundler would and
 * names any module that imports zod, directly or through a contract, with the chain that brought
 * it in. Type-only imports are erased and do not count; import() is not a static import.
 */

const here = path.dirname(new URL(import.meta.url).pathname);
const ENTRIES = ["layout.tsx", "_board/Board.tsx"].map((f) => path.join(here, f));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^;"']*?\sfrom\s+)?["']([^"']+)["']/g;

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const file of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    try {
      if (statSync(file).isFile()) return file;
    } catch {}
  }
  return null;
}

function zodImports(): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const rel = path.relative(here, file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const [, typeOnly, spec] = m;
      if (typeOnly || !spec) continue; // erased at build time
      if (spec === "zod" || spec.startsWith("zod/")) found.push([...chain, rel].join(" → "));
      const next = resolve(file, spec);
      if (next) walk(next, [...chain, rel]);
    }
  };
  for (const entry of ENTRIES) walk(entry, []);
  return found;
}

describe("the board's first-load modules", () => {
  it("import no zod (schemas come by import(), after first paint)", () => {
    expect(zodImports()).toEqual([]);
  });
});
