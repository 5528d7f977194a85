import { Command, CommanderError } from "commander";
import { register as config } from "./commands/config.ts";
import { register as graph } from "./commands/graph.ts";
import { register as health } from "./commands/health.ts";
import { register as logs } from "./commands/logs.ts";
import { register as restart } from "./commands/restart.ts";
import { register as rollback } from "./commands/rollback.ts";
import { register as start } from "./commands/start.ts";
import { register as status } from "./commands/status.ts";
import { register as stop } from "./commands/stop.ts";
import { register as watch } from "./commands/watch.ts";
import { type CommandContext, type GlobalOptions, loadContext } from "./context.ts";
import { reportError } from "./errors.ts";
import { EXIT } from "./exit.ts";
import type { CliIo } from "./io.ts";

/** What a command module gets to hook its action into the program. */
export interface Cli {
  io: CliIo;
  /** Loads the config for `command`'s global options, runs `body`, records its exit code. */
  withConfig(command: Command, body: (ctx: CommandContext) => Promise<number>): Promise<void>;
}

/**
 * Runs `vigil` with `argv` (without node and script) and resolves to the exit code. Never calls
 * process.exit: the caller decides, so tests can run it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const cli: Cli = {
    io,
    async withConfig(command, body) {
      let redact: ((text: string) => string) | undefined;
      try {
        const ctx = await loadContext(io, command.optsWithGlobals<GlobalOptions>());
        redact = (text) => ctx.redactor.redact(text);
        exitCode = await body(ctx);
      } catch (error) {
        exitCode = reportError(io, error, redact);
      }
    },
  };
  const program = buildProgram(io);
  for (const registerCommand of [
    start,
    stop,
    restart,
    rollback,
    status,
    health,
    logs,
    graph,
    config,
    watch,
  ]) {
    registerCommand(program, cli);
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) return reportError(io, error);
    // Help asked for is success; help shown because of a mistake, or any parse error, is usage.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version"
      ? EXIT.ok
      : EXIT.usage;
  }
  return exitCode;
}

function buildProgram(io: CliIo): Command {
  // Output settings and exitOverride are inherited by subcommands added afterwards.
  return new Command("vigil")
    .description("Health dashboard and dependency-aware service orchestrator")
    .option("-c, --config <file>", "config file (default: $VIGIL_CONFIG or ./vigil.yaml)")
    .option("-e, --env <name>", "environment overlay vigil.<name>.yaml (default: $VIGIL_ENV)")
    .option("--state-dir <dir>", "runtime state (default: $VIGIL_STATE_DIR or <config dir>/.vigil/state)")
    .option("--no-color", "never colour output (colour is only used on a terminal without NO_COLOR)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns || 80,
      getErrHelpWidth: () => io.stderr.columns || 80,
    })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
}
