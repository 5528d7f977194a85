import { type ConfigLocation, findRepoRoot, locateConfig } from "@vigil/orchestrator";

export { findRepoRoot };

/** Same rules as the `vigil` CLI (locateConfig): --config, --env and --state-dir on the server's argv. */
export function chooseConfig(opts: {
  argv: string[];
  environ: Readonly<Record<string, string | undefined>>;
  cwd: string;
  repoRoot: string | undefined;
}): ConfigLocation {
  return locateConfig({
    config: argValue(opts.argv, "--config"),
    env: argValue(opts.argv, "--env"),
    stateDir: argValue(opts.argv, "--state-dir"),
    environ: opts.environ,
    cwd: opts.cwd,
    repoRoot: opts.repoRoot,
  });
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
