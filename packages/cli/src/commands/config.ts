import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import type { CommandContext } from "../context.ts";
import { EXIT } from "../exit.ts";
import { toYaml } from "../ui/yaml.ts";

interface ConfigOptions {
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("config")
    .description("print the resolved config (overlays merged, variables substituted, secrets redacted)")
    .option("--json", "print JSON instead of YAML")
    .action((options: ConfigOptions, command: Command) =>
      cli.withConfig(command, async (ctx) => printConfig(ctx, options)),
    );
}

function printConfig(ctx: CommandContext, options: ConfigOptions): number {
  const redacted = ctx.redactor.redactValue(ctx.config);
  const header = `# resolved from ${ctx.files.join(", ")}\n`;
  ctx.io.stdout.write(options.json ? `${JSON.stringify(redacted, null, 2)}\n` : header + toYaml(redacted));
  return EXIT.ok;
}
