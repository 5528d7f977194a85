import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { configJsonSchemaText } from "@vigil/orchestrator";
import type { Command } from "commander";
import type { Cli } from "../cli.ts";

/** `vigil schema`: the JSON Schema of vigil.yaml, for editors; needs no config file. */
export function register(program: Command, cli: Cli): void {
  program
    .command("schema")
    .description("print the JSON Schema of vigil.yaml (for editors: yaml-language-server, VS Code)")
    .option("-o, --output <file>", "write it to this file instead of stdout")
    .action(async (options: { output?: string }) => {
      const text = configJsonSchemaText();
      if (options.output === undefined) {
        cli.io.stdout.write(text);
        return;
      }
      const target = resolve(cli.io.cwd, options.output);
      await writeFile(target, text, { signal: AbortSignal.timeout(10_000) });
      cli.io.stderr.write(`wrote ${target}\n`);
    });
}
