import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { UsageError } from "../exit.ts";
import { testChannel } from "../remote/alerts.ts";
import { needsServer } from "./silence.ts";

export function register(program: Command, cli: Cli): void {
  const alerts = program.command("alerts").description("alerting, through the server");
  alerts
    .command("test")
    .description("send a test notification through one channel and wait for its delivery")
    .argument("<channel>", "a channel name from alerting.channels")
    .action((channel: string, _options: unknown, command: Command) =>
      cli.withServer(
        command,
        (server, palette) => testChannel(cli.io, palette, server, channel),
        async (ctx) => {
          throw new UsageError(needsServer("alerts test", ctx.location.path));
        },
      ),
    );
}
