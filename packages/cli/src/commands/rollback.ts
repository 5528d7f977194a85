import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { runRemoteAction } from "../remote/action.ts";
import { REQUESTED_BY, runAction } from "./action.ts";

export function register(program: Command, cli: Cli): void {
  program
    .command("rollback")
    .description("return services to their previous revision and verify health")
    .argument("<services...>", "services to roll back, one after another")
    .action((services: string[], _options: object, command: Command) =>
      cli.withServer(
        command,
        async (server, palette) => {
          for (const service of services) {
            const code = await runRemoteAction(cli.io, palette, server, {
              kind: "rollback",
              targets: [service],
            });
            if (code !== 0) return code;
          }
          return 0;
        },
        async (ctx) => {
          // One action per service; stop at the first failure so a bad state is not compounded.
          for (const service of services) {
            const code = await runAction(ctx, (engine) =>
              engine.rollback(service, { requestedBy: REQUESTED_BY }),
            );
            if (code !== 0) return code;
          }
          return 0;
        },
      ),
    );
}
