import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { UsageError } from "../exit.ts";
import { silence } from "../remote/alerts.ts";

/** Silences live in the server's alerting runtime: without a server there is nothing to silence. */
export const needsServer = (what: string, config: string) =>
  `\`vigil ${what}\` works through a running Vigil server, and none is running for ${config}: start it, or pass --server URL (or set VIGIL_SERVER)`;

export function register(program: Command, cli: Cli): void {
  program
    .command("silence")
    .description("no alerts for a service for a while (it shows as maintenance), through the server")
    .argument("<service>", "the service to silence")
    .argument("<duration>", "how long: 30m, 1h, 2d (at most 7d)")
    .action((service: string, duration: string, _options: unknown, command: Command) =>
      cli.withServer(
        command,
        (server) => silence(cli.io, server, service, duration),
        async (ctx) => {
          throw new UsageError(needsServer("silence", ctx.location.path));
        },
      ),
    );
}
