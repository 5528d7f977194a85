import { readFile } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { isComposeFile, loadCompose } from "./compose/index.ts";
import { parseDotenv } from "./dotenv.ts";
import { ConfigError } from "./errors.ts";
import { buildConfig, type ConfigSource, type LoadedConfig } from "./parse.ts";
import type { Environ } from "./substitute.ts";

export interface LoadConfigOptions {
  /** Config file; default `VIGIL_CONFIG`, then `<cwd>/vigil.yaml`. */
  path?: string;
  /** Overlay name: loads `vigil.<env>.yaml` next to the config. Default `VIGIL_ENV`. */
  env?: string;
  /** Base for relative paths and for file names in errors. Default `process.cwd()`. */
  cwd?: string;
  /** Variables for substitution. Default `process.env`. */
  environ?: Record<string, string | undefined>;
  /** Compose profiles to enable; default COMPOSE_PROFILES. */
  profiles?: string[];
  /** Validate for a cluster instance: every process service must say which `node:` runs it. */
  clusterMode?: boolean;
}

/**
 * Reads the config file, its optional overlay and `.env`, and returns the validated config.
 * `.env` (next to the config) fills in variables the real environment does not set: the real
 * environment wins, so a deploy can always override a checked-in default.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const environ: Environ = opts.environ ?? process.env;
  const configPath = resolve(cwd, opts.path ?? environ.VIGIL_CONFIG ?? "vigil.yaml");
  const configDir = dirname(configPath);
  const env = opts.env ?? environ.VIGIL_ENV;
  const display = (absolute: string): string => {
    const rel = relative(cwd, absolute);
    return rel.startsWith("..") || isAbsolute(rel) ? absolute : rel;
  };

  const dotenvPath = join(configDir, ".env");
  const dotenvText = await readOptional(dotenvPath);
  const merged: Environ = { ...parseDotenv(dotenvText ?? ""), ...definedOnly(environ) };
  const dotenvFiles = dotenvText === undefined ? [] : [dotenvPath];
  const composeOptions = { environ: merged, display, ...(opts.profiles ? { profiles: opts.profiles } : {}) };

  if (isComposeFile(configPath)) {
    // A compose file is the whole config: its services, compose's project name.
    const overlays = env !== undefined && env !== "" ? [overlayPathFor(configPath, env)] : [];
    const compose = loadCompose([configPath, ...overlays], composeOptions);
    const base = { project: compose.project, services: compose.services };
    const { config, redactor } = buildConfig([], merged, configDir, {
      base,
      clusterMode: opts.clusterMode ?? false,
    });
    return { config, files: [...compose.files, ...dotenvFiles], redactor, warnings: compose.warnings };
  }

  const files = [configPath];
  if (env !== undefined && env !== "") files.push(overlayPathFor(configPath, env));
  // Read every file before giving up, so a missing base and a missing overlay are one report.
  const read = await Promise.all(files.map((path) => readConfigFile(path, display)));
  const unreadable = read.flatMap((r) => (r instanceof ConfigError ? r.issues : []));
  if (unreadable.length > 0) throw new ConfigError(unreadable);
  const sources: ConfigSource[] = files.map((path, i) => {
    const text = read[i];
    return { file: display(path), text: typeof text === "string" ? text : "" };
  });
  const mainText = sources[0]?.text ?? "";

  files.push(...dotenvFiles);

  // `compose: [./docker-compose.yml]`: those services first, vigil.yaml's keys over them.
  const composePaths = composeListOf(mainText).map((p) => resolve(configDir, p));
  const compose = composePaths.length > 0 ? loadCompose(composePaths, composeOptions) : undefined;
  const base = compose ? { services: compose.services } : undefined;
  const { config, redactor } = buildConfig(sources, merged, configDir, {
    ...(base ? { base } : {}),
    clusterMode: opts.clusterMode ?? false,
  });
  return {
    config,
    files: [...files, ...(compose?.files ?? [])],
    redactor,
    warnings: compose?.warnings ?? [],
  };
}

/** The `compose:` list of a vigil.yaml (read before the full parse, which needs its services). */
function composeListOf(text: string): string[] {
  try {
    const value: unknown = parseYaml(text);
    if (typeof value !== "object" || value === null || !("compose" in value)) return [];
    const list = (value as { compose: unknown }).compose;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string") : [];
  } catch {
    return []; // the full parse reports the syntax error with its position
  }
}

/** `vigil.yaml` + `prod` → `vigil.prod.yaml`, in the same directory. */
export function overlayPathFor(configPath: string, env: string): string {
  const ext = extname(configPath);
  return join(dirname(configPath), `${basename(configPath, ext)}.${env}${ext}`);
}

/** The file's text, or the ConfigError saying why it cannot be read (returned, to collect them). */
async function readConfigFile(
  path: string,
  display: (absolute: string) => string,
): Promise<string | ConfigError> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`;
    return new ConfigError([{ file: display(path), line: 0, col: 0, path: "", message }]);
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function definedOnly(environ: Environ): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(environ)) if (value !== undefined) result[key] = value;
  return result;
}
