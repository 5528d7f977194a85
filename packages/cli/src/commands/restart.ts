import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { UsageError } from "../exit.ts";
import { runRemoteAction } from "../remote/action.ts";
import { REQUESTED_BY, runAction } from "./action.ts";

interface RestartOptions {
  withDependents?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("restart")
    .description("restart services, and with --with-dependents everything that depends on them")
    .argument("<services...>", "services to restart")
    .option(
      "-d, --with-dependents",
      "also restart services that depend on them (stopped first, started after)",
    )
    .action((services: string[], options: RestartOptions, command: Command) =>
      cli.withServer(
        command,
        (server, palette) =>
          runRemoteAction(cli.io, palette, server, {
            kind: "restart",
            targets: services,
            withDependents: options.withDependents === true,
          }),
        async (ctx) => {
          if (services.length === 0) throw new UsageError("restart needs at least one service");
          return runAction(ctx, (engine) =>
            engine.restart(services, {
              withDependents: options.withDependents === true,
              requestedBy: REQUESTED_BY,
            }),
          );
        },
      ),
    );
}
