import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The board's first load: every module the layout and the board import statically ends up in
 * the JavaScript a fresh browser downloads for `/`. Classic zod cannot be tree-shaken (its schemas
 * carry every method, JSON-schema generation included: ~33 kB gzip), so those modules use
 * zod/mini. This walks the static import graph as the bundler would and names any module that
 * imports classic zod, with the chain that brought it in.
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

function classicZodImports(): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const rel = path.relative(here, file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const [, typeOnly, spec] = m;
      if (typeOnly || !spec) continue; // erased at build time
      if (spec === "zod" || spec.startsWith("zod/v4") || spec === "zod/v3")
        found.push([...chain, rel].join(" → "));
      const next = resolve(file, spec);
      if (next) walk(next, [...chain, rel]);
    }
  };
  for (const entry of ENTRIES) walk(entry, []);
  return found;
}

describe("the board's first-load modules", () => {
  it("import zod only as zod/mini", () => {
    expect(classicZodImports()).toEqual([]);
  });
});
