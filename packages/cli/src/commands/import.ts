import { isAbsolute, relative, resolve } from "node:path";
import { importCompose } from "@vigil/orchestrator";
import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import { EXIT } from "../exit.ts";

export function register(program: Command, cli: Cli): void {
  program
    .command("import")
    .description(
      "print the vigil.yaml equivalent of compose files (merged in order), commenting what has no equivalent",
    )
    .argument("<files...>", "compose files, e.g. docker-compose.yml docker-compose.prod.yml")
    .action((files: string[], _options: object, command: Command) =>
      cli.run(async () => {
        const { profile } = command.optsWithGlobals<{ profile?: string[] }>();
        const text = importCompose(
          files.map((f) => resolve(cli.io.cwd, f)),
          {
            environ: { ...cli.io.env },
            display: (p) => shown(cli.io.cwd, p),
            ...(profile ? { profiles: profile } : {}),
          },
        );
        cli.io.stdout.write(text);
        return EXIT.ok;
      }),
    );
}

/** A path as the user would type it: relative when inside the working directory. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
