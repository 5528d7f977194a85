import type { EngineEvent, ServiceSnapshot } from "@vigil/orchestrator";
import { type Command, InvalidArgumentError } from "commander";
import type { Cli } from "../cli.ts";
import type { CommandContext } from "../context.ts";
import { EXIT } from "../exit.ts";
import type { CliIo } from "../io.ts";
import { openObserver } from "../observe.ts";
import { remoteWatch } from "../remote/views.ts";
import { paintStatus } from "../ui/color.ts";
import { statusTable } from "./status.ts";

interface WatchOptions {
  interval: number;
}

/** Redraws never come closer together than this, however many events arrive. */
const MIN_REDRAW_MS = 250;
const RECENT_EVENTS = 6;
/** How often runtime facts are re-read from the state directory. */
const SYNC_MS = 2_000;

function parseInterval(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < MIN_REDRAW_MS)
    throw new InvalidArgumentError(`expected milliseconds >= ${MIN_REDRAW_MS}`);
  return n;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("watch")
    .description("live board of every service, redrawn in place (q or Ctrl-C quits)")
    .option("-i, --interval <ms>", "redraw at least this often", parseInterval, 1000)
    .action((options: WatchOptions, command: Command) =>
      cli.withServer(
        command,
        (server, palette) => remoteWatch(cli.io, palette, server, options.interval),
        (ctx) => watch(ctx, options),
      ),
    );
}

/** One line per status change, newest last: what changed recently, under the table. */
function describe(event: EngineEvent, ctx: CommandContext): string | undefined {
  const time = event.at.toLocaleTimeString();
  const { palette } = ctx;
  if (event.type === "service.status") {
    const reason = event.reason ? `  ${palette.dim(event.reason)}` : "";
    return `${palette.dim(time)}  ${event.service} ${paintStatus(palette, event.from)} → ${paintStatus(palette, event.to)}${reason}`;
  }
  if (event.type === "action.finished") {
    return `${palette.dim(time)}  ${event.kind} ${paintStatus(palette, event.result)}: ${event.message}`;
  }
  if (event.type === "service.restarted") {
    return `${palette.dim(time)}  ${event.service} restarted (attempt ${event.attempt})${event.crashLoop ? palette.red(" crash loop") : ""}`;
  }
  return undefined;
}

export function board(ctx: CommandContext, services: ServiceSnapshot[], recent: string[], now: Date): string {
  const width = ctx.io.stdout.columns || 120;
  const title = `${ctx.palette.bold(`vigil · ${ctx.config.project}`)}  ${ctx.palette.dim(`${now.toLocaleTimeString()}  q to quit`)}`;
  const lines = [title, "", statusTable(services, now, ctx.palette, width).trimEnd()];
  if (recent.length > 0) lines.push("", ctx.palette.dim("recent"), ...recent);
  return `${lines.join("\n")}\n`;
}

/** Raw-mode keys on a terminal: q or Ctrl-C (raw mode delivers it as a byte, not a signal). */
function onQuitKey(io: CliIo, quit: () => void): () => void {
  const stdin = io.stdin;
  if (!stdin?.isTTY || !stdin.setRawMode) return () => {};
  const onData = (chunk: Buffer | string): void => {
    const key = chunk.toString();
    if (key === "q" || key === "Q" || key === "\u0003") quit();
  };
  stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.resume();
  return () => {
    stdin.off("data", onData);
    stdin.setRawMode?.(false);
    stdin.pause();
  };
}

async function watch(ctx: CommandContext, options: WatchOptions): Promise<number> {
  const live = ctx.io.stdout.isTTY === true;
  const recent: string[] = [];
  let dirty = true;
  const onEvent = (event: EngineEvent): void => {
    const line = describe(event, ctx);
    if (line === undefined && event.type !== "check.result" && event.type !== "action.step") return;
    if (line !== undefined) recent.push(line);
    if (recent.length > RECENT_EVENTS) recent.splice(0, recent.length - RECENT_EVENTS);
    dirty = true;
  };
  const observer = await openObserver(ctx, onEvent, { periodic: true });
  let lastDraw = 0;
  let lastSync = Date.now();
  const draw = (): void => {
    const text = board(ctx, observer.snapshot(), recent, new Date());
    ctx.io.stdout.write(live ? `\x1b[H\x1b[J${text}` : `${text}\n`);
    lastDraw = Date.now();
    dirty = false;
  };
  let finish = (): void => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stopKeys = onQuitKey(ctx.io, () => finish());
  ctx.io.signal?.addEventListener("abort", () => finish(), { once: true });
  if (live) ctx.io.stdout.write("\x1b[?1049h\x1b[?25l");
  // First results now rather than after each check's jittered first interval.
  void observer.runNow().then(() => {
    dirty = true;
  });
  draw();
  const timer = setInterval(() => {
    if (Date.now() - lastSync >= SYNC_MS) {
      lastSync = Date.now();
      // Services started or stopped by another vigil or the web app show up here.
      void observer.sync().then(() => {
        dirty = true;
      });
    }
    const due = Date.now() - lastDraw >= options.interval;
    // Events only mark the board dirty; drawing happens here, so the rate stays bounded.
    if (due || (live && dirty)) draw();
  }, MIN_REDRAW_MS);
  try {
    await done;
  } finally {
    clearInterval(timer);
    stopKeys();
    if (live) ctx.io.stdout.write("\x1b[?25h\x1b[?1049l");
    await observer.close();
  }
  return EXIT.ok;
}
