import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { runRemoteAction } from "../remote/action.ts";
import { REQUESTED_BY, runAction } from "./action.ts";

export function register(program: Command, cli: Cli): void {
  program
    .command("start")
    .description("start services (all, or the given ones and what they need), wave by wave, health-gated")
    .argument("[services...]", "services to start; their dependencies start first")
    .action((services: string[], _options: object, command: Command) =>
      cli.withServer(
        command,
        (server, palette) => runRemoteAction(cli.io, palette, server, { kind: "start", targets: services }),
        (ctx) => runAction(ctx, (engine) => engine.start(services, { requestedBy: REQUESTED_BY })),
      ),
    );
}
