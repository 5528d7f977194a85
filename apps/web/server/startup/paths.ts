import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

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

export interface ConfigChoice {
  path: string;
  /** Where the choice came from, for the one log line that says which config is in use. */
  source: "--config" | "VIGIL_CONFIG" | "cwd" | "demo";
  /** `--env`/VIGIL_ENV overlay name. */
  env?: string;
}

/** `--config X` / `--config=X`, then VIGIL_CONFIG, then ./vigil.yaml, then the demo stack. */
export function chooseConfig(opts: {
  argv: string[];
  environ: Record<string, string | undefined>;
  cwd: string;
  repoRoot: string | undefined;
}): ConfigChoice {
  const flag = argValue(opts.argv, "--config");
  const env = argValue(opts.argv, "--env") ?? opts.environ.VIGIL_ENV;
  const withEnv = (c: ConfigChoice): ConfigChoice => (env ? { ...c, env } : c);
  if (flag) return withEnv({ path: resolve(opts.cwd, flag), source: "--config" });
  if (opts.environ.VIGIL_CONFIG)
    return withEnv({ path: resolve(opts.cwd, opts.environ.VIGIL_CONFIG), source: "VIGIL_CONFIG" });
  const local = join(opts.cwd, "vigil.yaml");
  if (existsSync(local)) return withEnv({ path: local, source: "cwd" });
  const root = opts.repoRoot ?? opts.cwd;
  return withEnv({ path: join(root, "examples", "demo", "vigil.yaml"), source: "demo" });
}

export function argValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === name) return argv[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/** A database URL safe to print: user and password removed. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
