import { Command, CommanderError } from "commander";
import { register as alerts } from "./commands/alerts.ts";
import { register as backup } from "./commands/backup.ts";
import { register as config } from "./commands/config.ts";
import { register as graph } from "./commands/graph.ts";
import { register as health } from "./commands/health.ts";
import { register as importCommand } from "./commands/import.ts";
import { register as login } from "./commands/login.ts";
import { register as logs } from "./commands/logs.ts";
import { register as restart } from "./commands/restart.ts";
import { register as rollback } from "./commands/rollback.ts";
import { register as schema } from "./commands/schema.ts";
import { register as silence } from "./commands/silence.ts";
import { register as start } from "./commands/start.ts";
import { register as status } from "./commands/status.ts";
import { register as stop } from "./commands/stop.ts";
import { register as watch } from "./commands/watch.ts";
import { type CommandContext, type GlobalOptions, loadContext, paletteFor } from "./context.ts";
import { reportError } from "./errors.ts";
import { EXIT } from "./exit.ts";
import type { CliIo } from "./io.ts";
import type { RemoteServer } from "./remote/client.ts";
import { explicitServer, localServer } from "./remote/discover.ts";
import type { Palette } from "./ui/color.ts";

/** What a command module gets to hook its action into the program. */
export interface Cli {
  io: CliIo;
  /** Loads the config for `command`'s global options, runs `body`, records its exit code. */
  withConfig(command: Command, body: (ctx: CommandContext) => Promise<number>): Promise<void>;
  /** Runs a command that needs no config (login, import), recording its exit code. */
  run(body: () => Promise<number>): Promise<void>;
  /**
   * Through the server that owns the services when there is one (`--server`, VIGIL_SERVER, or a
   * server running for this config), else standalone with `local`.
   */
  withServer(
    command: Command,
    remote: (server: RemoteServer, palette: Palette) => Promise<number>,
    local: (ctx: CommandContext) => Promise<number>,
  ): Promise<void>;
}

/**
 * Runs `vigil` with `argv` (without node and script) and resolves to the exit code. Never calls
 * process.exit: the caller decides, so tests can run it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const withConfig: Cli["withConfig"] = async (command, body) => {
    let redact: ((text: string) => string) | undefined;
    try {
      const ctx = await loadContext(io, command.optsWithGlobals<GlobalOptions>());
      redact = (text) => ctx.redactor.redact(text);
      exitCode = await body(ctx);
    } catch (error) {
      exitCode = reportError(io, error, redact);
    }
  };
  const withServer: Cli["withServer"] = async (command, remote, local) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    try {
      // A named server needs no local config: `vigil --server URL status` works from anywhere.
      const named = await explicitServer(options.server, io.env);
      if (named) {
        exitCode = await remote(named, paletteFor(io, options));
        return;
      }
    } catch (error) {
      exitCode = reportError(io, error);
      return;
    }
    await withConfig(command, async (ctx) => {
      const owner = await localServer(ctx.stateDir, ctx.location.path, io.env);
      return owner ? remote(owner, ctx.palette) : local(ctx);
    });
  };
  const run: Cli["run"] = async (body) => {
    try {
      exitCode = await body();
    } catch (error) {
      exitCode = reportError(io, error);
    }
  };
  const cli: Cli = { io, withConfig, withServer, run };
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
    schema,
    login,
    importCommand,
    silence,
    alerts,
    backup,
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
    .option(
      "--profile <name>",
      "compose profile to enable, repeatable (default: $COMPOSE_PROFILES)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--state-dir <dir>", "runtime state (default: $VIGIL_STATE_DIR or <config dir>/.vigil/state)")
    .option(
      "--server <url>",
      "act through this Vigil server (default: $VIGIL_SERVER, or the one running for the config)",
    )
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
