import { didYouMean, type Engine, type EngineEvent, logFileTail } from "@vigil/orchestrator";
import { type Command, InvalidArgumentError } from "commander";
import type { Cli } from "../cli.ts";
import type { CommandContext } from "../context.ts";
import { withEngine } from "../engine.ts";
import { EXIT, UsageError } from "../exit.ts";
import { remoteLogs } from "../remote/views.ts";

interface LogsOptions {
  follow?: boolean;
  lines: number;
}

/** While following, look this often for services (re)started by someone else. */
const REATTACH_MS = 2_000;

export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError("expected a whole number");
  return n;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("logs")
    .description("print recent output of a service (or of all services), and follow it with -f")
    .argument("[service]", "service to show; all run services when omitted")
    .option("-f, --follow", "keep printing new lines until Ctrl-C")
    .option("-n, --lines <n>", "lines to show per service", parseCount, 50)
    .action((service: string | undefined, options: LogsOptions, command: Command) =>
      cli.withServer(
        command,
        (server) =>
          remoteLogs(cli.io, server, service, { lines: options.lines, follow: options.follow === true }),
        (ctx) => logs(ctx, service, options),
      ),
    );
}

async function logs(ctx: CommandContext, service: string | undefined, options: LogsOptions): Promise<number> {
  const names = selected(ctx, service);
  const width = Math.max(...names.map((name) => name.length));
  const prefix = (name: string): string =>
    names.length > 1 ? `${ctx.palette.cyan(name.padEnd(width))} ${ctx.palette.dim("|")} ` : "";
  const onEvent = (event: EngineEvent): void => {
    if (options.follow && event.type === "service.log" && names.includes(event.service)) {
      ctx.io.stdout.write(`${prefix(event.service)}${event.line}\n`);
    }
  };
  return withEngine(
    ctx,
    onEvent,
    async (engine) => {
      for (const name of names) {
        for (const line of recent(ctx, engine, name, options.lines))
          ctx.io.stdout.write(`${prefix(name)}${line}\n`);
      }
      if (options.follow) await follow(ctx, engine);
      return EXIT.ok;
    },
    { observer: true },
  );
}

/** The services to show: the one named (checked, with a did-you-mean), or all Vigil runs. */
function selected(ctx: CommandContext, service: string | undefined): string[] {
  const all = Object.keys(ctx.config.services);
  if (service !== undefined) {
    if (!all.includes(service))
      throw new UsageError(`unknown service "${service}"${didYouMean(service, all)}`);
    return [service];
  }
  const run = all.filter((name) => ctx.config.services[name]?.kind !== "external");
  if (run.length === 0) throw new UsageError("no service in this config is run by Vigil, so none has logs");
  return run;
}

function recent(ctx: CommandContext, engine: Engine, name: string, n: number): string[] {
  if (n === 0) return [];
  const fromEngine = engine.logs(name, n);
  if (fromEngine.length >= n) return fromEngine;
  const fromFile = logFileTail(ctx.stateDir, name, n);
  return fromFile.length > fromEngine.length ? fromFile : fromEngine;
}

/** Prints lines as the engine reports them until aborted (Ctrl-C). */
async function follow(ctx: CommandContext, engine: Engine): Promise<void> {
  const signal = ctx.io.signal;
  if (!signal) throw new UsageError("--follow needs an interruptible terminal");
  const timer = setInterval(() => void engine.attach().catch(() => {}), REATTACH_MS);
  try {
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    clearInterval(timer);
  }
}
