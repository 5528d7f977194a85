import { buildGraph, type Config } from "@vigil/orchestrator";
import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import type { CommandContext } from "../context.ts";
import { EXIT } from "../exit.ts";
import type { Palette } from "../ui/color.ts";

interface GraphOptions {
  dot?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("graph")
    .description("show startup waves and dependencies (of the given services and what they need)")
    .argument("[services...]", "limit to these services and their dependencies")
    .option("--dot", "print Graphviz DOT instead of text")
    .action((services: string[], options: GraphOptions, command: Command) =>
      cli.withConfig(command, async (ctx) => graph(ctx, services, options)),
    );
}

function graph(ctx: CommandContext, services: string[], options: GraphOptions): number {
  const full = buildGraph(ctx.config.services);
  const selected = services.length > 0 ? full.subgraph(services) : full;
  ctx.io.stdout.write(
    options.dot ? selected.toDot() : renderWaves(ctx.config, selected.waves(), ctx.palette),
  );
  return EXIT.ok;
}

/**
 * Waves as text, one block per wave: each service with its kind and what it waits for. A
 * dependency that only needs to be started (not healthy) is marked, since it gates less.
 */
export function renderWaves(config: Config, waves: string[][], palette: Palette): string {
  const graph = buildGraph(config.services);
  const width = Math.max(0, ...waves.flat().map((name) => name.length));
  const lines: string[] = [];
  waves.forEach((wave, index) => {
    lines.push(palette.bold(`wave ${index + 1}`));
    for (const name of wave) {
      const kind = config.services[name]?.kind ?? "?";
      const deps = graph
        .dependencies(name)
        .map((dep) => (dep.condition === "started" ? `${dep.name} (started)` : dep.name));
      const needs = deps.length > 0 ? `  ${palette.dim("←")} ${deps.join(", ")}` : "";
      lines.push(`  ${name.padEnd(width)}  ${palette.dim(kind.padEnd(8))}${needs}`.trimEnd());
    }
  });
  const total = waves.flat().length;
  lines.push(
    "",
    palette.dim(
      `${total} service${total === 1 ? "" : "s"} in ${waves.length} wave${waves.length === 1 ? "" : "s"}`,
    ),
  );
  return `${lines.join("\n")}\n`;
}
