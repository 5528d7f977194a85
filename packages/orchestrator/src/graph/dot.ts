import type { DependencyEdge } from "./dependencies.ts";

const quote = (text: string): string => `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/**
 * Graphviz source: one node per service, ranked by wave so the picture reads left to right in
 * startup order. "started" edges are dashed because they wait for less than "healthy" ones.
 */
export function renderDot(waves: string[][], edges: DependencyEdge[]): string {
  const lines = ["digraph vigil {", "  rankdir=LR;", "  node [shape=box];"];
  waves.forEach((wave, index) => {
    lines.push(`  subgraph wave_${index} { rank=same; ${wave.map((name) => `${quote(name)};`).join(" ")} }`);
  });
  for (const edge of edges) {
    const style = edge.condition === "started" ? ", style=dashed" : "";
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${quote(edge.condition)}${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
