import { dirname, join, resolve } from "node:path";
import { type Config, loadConfig, type Redactor } from "@vigil/orchestrator";
import type { CliIo } from "./io.ts";
import { createPalette, type Palette, wantsColor } from "./ui/color.ts";

/** Options every command accepts, before resolution against the environment. */
export interface GlobalOptions {
  config?: string | undefined;
  env?: string | undefined;
  stateDir?: string | undefined;
  /** False with --no-color. */
  color: boolean;
}

/** A loaded config and where this invocation keeps its state. */
export interface CommandContext {
  io: CliIo;
  palette: Palette;
  config: Config;
  /** The files that were read, main file first (as the user would type them). */
  files: string[];
  redactor: Redactor;
  /** Shared with the web app on the same config, so both see the same running services. */
  stateDir: string;
}

export function paletteFor(io: CliIo, options: GlobalOptions): Palette {
  return createPalette(wantsColor(io, options.color));
}

/** Loads the config (throws ConfigError) and resolves the state directory. */
export async function loadContext(io: CliIo, options: GlobalOptions): Promise<CommandContext> {
  const path = options.config ?? nonEmpty(io.env.VIGIL_CONFIG);
  const env = options.env ?? nonEmpty(io.env.VIGIL_ENV);
  const { config, files, redactor } = await loadConfig({ path, env, cwd: io.cwd, environ: { ...io.env } });
  const mainFile = resolve(io.cwd, files[0] ?? path ?? "vigil.yaml");
  const stateOption = options.stateDir ?? nonEmpty(io.env.VIGIL_STATE_DIR);
  const stateDir = stateOption ? resolve(io.cwd, stateOption) : join(dirname(mainFile), ".vigil", "state");
  return { io, palette: paletteFor(io, options), config, files, redactor, stateDir };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
