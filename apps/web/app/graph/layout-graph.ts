import type { GraphResponse, ServiceView } from "../../lib/contract";

export const COL_W = 270;
export const NODE_W = 200;
export const NODE_H = 52;
export const ROW_H = 70;
export const PAD = 24;

export interface NodePos {
  name: string;
  x: number;
  y: number;
  wave: number;
}

/** Wave columns, left to right; within a wave, grouped by `group` then name. */
export function layout(graph: GraphResponse, services: readonly ServiceView[]) {
  const byName = new Map(services.map((s) => [s.name, s]));
  const nodes = new Map<string, NodePos>();
  let rows = 0;
  graph.waves.forEach((wave, w) => {
    const sorted = [...wave].sort((a, b) => {
      const ga = byName.get(a)?.group ?? "";
      const gb = byName.get(b)?.group ?? "";
      return ga.localeCompare(gb) || a.localeCompare(b);
    });
    rows = Math.max(rows, sorted.length);
    sorted.forEach((name, i) => {
      nodes.set(name, { name, x: PAD + w * COL_W, y: PAD + 22 + i * ROW_H, wave: w });
    });
  });
  return {
    nodes,
    width: PAD * 2 + Math.max(1, graph.waves.length) * COL_W - (COL_W - NODE_W),
    height: PAD * 2 + 22 + Math.max(1, rows) * ROW_H,
  };
}

/** The chain a selected service sits in: everything it depends on and everything depending on it. */
export function chain(name: string, graph: GraphResponse): Set<string> {
  const out = new Set([name]);
  const walk = (start: string, next: (n: string) => string[]) => {
    const queue = [start];
    while (queue.length) {
      const n = queue.shift() as string;
      for (const m of next(n)) {
        if (out.has(m)) continue;
        out.add(m);
        queue.push(m);
      }
    }
  };
  walk(name, (n) => graph.edges.filter((e) => e.from === n).map((e) => e.to));
  walk(name, (n) => graph.edges.filter((e) => e.to === n).map((e) => e.from));
  return out;
}
