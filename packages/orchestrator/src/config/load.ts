import { readFile } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
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

  const files = [configPath];
  const sources: ConfigSource[] = [
    { file: display(configPath), text: await readConfigFile(configPath, display) },
  ];
  if (env !== undefined && env !== "") {
    const overlayPath = overlayPathFor(configPath, env);
    files.push(overlayPath);
    sources.push({ file: display(overlayPath), text: await readConfigFile(overlayPath, display) });
  }

  const dotenvPath = join(configDir, ".env");
  const dotenvText = await readOptional(dotenvPath);
  if (dotenvText !== undefined) files.push(dotenvPath);
  const merged: Environ = { ...parseDotenv(dotenvText ?? ""), ...definedOnly(environ) };

  const { config, redactor } = buildConfig(sources, merged, configDir);
  return { config, files, redactor };
}

/** `vigil.yaml` + `prod` → `vigil.prod.yaml`, in the same directory. */
export function overlayPathFor(configPath: string, env: string): string {
  const ext = extname(configPath);
  return join(dirname(configPath), `${basename(configPath, ext)}.${env}${ext}`);
}

async function readConfigFile(path: string, display: (absolute: string) => string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`;
    throw new ConfigError([{ file: display(path), line: 0, col: 0, path: "", message }]);
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
