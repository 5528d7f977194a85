import {
  type Config,
  type ConfigLocation,
  findRepoRoot,
  formatIssue,
  loadConfig,
  locateConfig,
  type Redactor,
} from "@vigil/orchestrator";
import type { CliIo } from "./io.ts";
import { createPalette, type Palette, wantsColor } from "./ui/color.ts";

/** Options every command accepts, before resolution against the environment. */
export interface GlobalOptions {
  config?: string | undefined;
  env?: string | undefined;
  stateDir?: string | undefined;
  /** --server: act through this Vigil server. */
  server?: string | undefined;
  /** Compose profiles (--profile, repeatable). */
  profile?: string[] | undefined;
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
  /** Which config and why (the same rules as the server's, see locateConfig). */
  location: ConfigLocation;
}

// The checkout this CLI runs from: where the demo stack lives, as for the server.
const repoRoot = findRepoRoot(import.meta.dirname);

export function paletteFor(io: CliIo, options: GlobalOptions): Palette {
  return createPalette(wantsColor(io, options.color));
}

/** Loads the config (throws ConfigError) and resolves the state directory. */
export async function loadContext(io: CliIo, options: GlobalOptions): Promise<CommandContext> {
  const location = locateConfig({ ...options, environ: io.env, cwd: io.cwd, repoRoot });
  const { config, files, redactor, warnings } = await loadConfig({
    path: location.path,
    cwd: io.cwd,
    environ: { ...io.env },
    ...(location.env === undefined ? {} : { env: location.env }),
    ...(options.profile ? { profiles: options.profile } : {}),
  });
  if (location.source === "demo")
    io.stderr.write(
      `vigil: using the demo stack ${location.path} (no --config, VIGIL_CONFIG or ./vigil.yaml)\n`,
    );
  // Compose keys Vigil cannot apply are said once per run, never silently dropped.
  for (const warning of warnings ?? [])
    io.stderr.write(`${formatIssue(warning).replace(/^Config error/, "Config warning")}\n`);
  return {
    io,
    palette: paletteFor(io, options),
    config,
    files,
    redactor,
    stateDir: location.stateDir,
    location,
  };
}
