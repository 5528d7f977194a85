import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/*
 * Which config file, overlay and state directory apply: decided here once, for the `vigil` CLI
 * and the server alike, so both act on the same services (and the CLI falls back to the demo
 * stack exactly when the server does).
 */

export type ConfigSourceName = "--config" | "VIGIL_CONFIG" | "cwd" | "demo";

export interface ConfigLocation {
  /** Absolute path of the main config file. */
  path: string;
  /** Where the choice came from, for the one line that says which config is in use. */
  source: ConfigSourceName;
  /** `--env` / VIGIL_ENV overlay name. */
  env?: string;
  /** Absolute runtime-state directory: pids, revisions, restart counters, the server's address. */
  stateDir: string;
}

export interface LocateOptions {
  /** `--config`, `--env`, `--state-dir` as given on the command line (relative to cwd). */
  config?: string | undefined;
  env?: string | undefined;
  stateDir?: string | undefined;
  environ: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The checkout holding examples/demo; without one the demo is looked for under cwd. */
  repoRoot: string | undefined;
}

/**
 * `--config`, then VIGIL_CONFIG, then ./vigil.yaml, then the demo stack. The state directory is
 * `--state-dir`, then VIGIL_STATE_DIR, then `<config dir>/.vigil/state`. Empty values count as unset.
 */
export function locateConfig(opts: LocateOptions): ConfigLocation {
  const given = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  const env = given(opts.env) ?? given(opts.environ.VIGIL_ENV);
  const fromEnv = given(opts.environ.VIGIL_CONFIG);
  const local = join(opts.cwd, "vigil.yaml");
  const [path, source]: [string, ConfigSourceName] = given(opts.config)
    ? [resolve(opts.cwd, opts.config ?? ""), "--config"]
    : fromEnv
      ? [resolve(opts.cwd, fromEnv), "VIGIL_CONFIG"]
      : existsSync(local)
        ? [local, "cwd"]
        : [join(opts.repoRoot ?? opts.cwd, "examples", "demo", "vigil.yaml"), "demo"];
  const stateOption = given(opts.stateDir) ?? given(opts.environ.VIGIL_STATE_DIR);
  const stateDir = stateOption ? resolve(opts.cwd, stateOption) : join(dirname(path), ".vigil", "state");
  return env ? { path, source, env, stateDir } : { path, source, stateDir };
}

/** The monorepo root: the nearest directory up from `from` holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (let i = 0; i < 20; i++) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
