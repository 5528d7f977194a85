import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { runRemoteAction } from "../remote/action.ts";
import { REQUESTED_BY, runAction } from "./action.ts";

export function register(program: Command, cli: Cli): void {
  program
    .command("stop")
    .description("stop services (all, or the given ones), dependents first")
    .argument("[services...]", "services to stop")
    .action((services: string[], _options: object, command: Command) =>
      cli.withServer(
        command,
        (server, palette) => runRemoteAction(cli.io, palette, server, { kind: "stop", targets: services }),
        (ctx) => runAction(ctx, (engine) => engine.stop(services, { requestedBy: REQUESTED_BY })),
      ),
    );
}
