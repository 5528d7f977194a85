import type { ServiceSnapshot } from "@vigil/orchestrator";
import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import type { CommandContext } from "../context.ts";
import { EXIT } from "../exit.ts";
import { observe } from "../observe.ts";
import { remoteStatus } from "../remote/views.ts";
import { type Palette, paintStatus, visibleWidth } from "../ui/color.ts";
import { formatLatency, formatUptime, truncate } from "../ui/format.ts";
import { type Column, renderTable } from "../ui/table.ts";

interface StatusOptions {
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("status")
    .description("show every service: kind, run state, health, latency, uptime, restarts")
    .option("--json", "print the snapshot as JSON")
    .action((options: StatusOptions, command: Command) =>
      cli.withServer(
        command,
        (server, palette) => remoteStatus(cli.io, palette, server, options.json === true),
        async (ctx) => status(ctx, options),
      ),
    );
}

async function status(ctx: CommandContext, options: StatusOptions): Promise<number> {
  const services = await observe(ctx);
  const at = new Date();
  if (options.json) {
    ctx.io.stdout.write(`${JSON.stringify({ project: ctx.config.project, at, services }, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(statusTable(services, at, ctx.palette, ctx.io.stdout.columns || 120));
  }
  // Status reports; it does not judge. `vigil health` is the command whose exit code means health.
  return EXIT.ok;
}

const COLUMNS: Column[] = [
  { header: "SERVICE" },
  { header: "KIND" },
  { header: "STATE" },
  { header: "HEALTH" },
  { header: "LATENCY", align: "right" },
  { header: "UPTIME", align: "right" },
  { header: "RESTARTS", align: "right" },
  { header: "REASON" },
];

/** The status table, services in startup order; the reason column is cut to fit the terminal. */
export function statusTable(services: ServiceSnapshot[], now: Date, palette: Palette, width: number): string {
  const ordered = [...services].sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  const rows = ordered.map((s) => {
    const running = s.runtime.state === "running";
    return [
      s.name,
      s.kind,
      paintStatus(palette, s.runtime.state),
      paintStatus(palette, s.status),
      formatLatency(s.latencyMs),
      running ? formatUptime(s.runtime.startedAt, now) : "-",
      s.kind === "external" ? "-" : String(s.runtime.restarts),
      s.reason,
    ];
  });
  // Lay out the fixed columns first; the reason gets whatever the terminal has left.
  const fixed = renderTable(
    COLUMNS.slice(0, -1),
    rows.map((row) => row.slice(0, -1)),
  );
  const used = Math.max(...fixed.split("\n").map(visibleWidth));
  const reasonWidth = Math.max(10, width - used - 3);
  for (const row of rows) row[7] = palette.dim(truncate(row[7] ?? "", reasonWidth));
  return renderTable(COLUMNS, rows, palette.dim);
}
