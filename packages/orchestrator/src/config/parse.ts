import { dirname, resolve } from "node:path";
import { alertingProblems } from "../alerting/config-problems.ts";
import { dependencyProblems, rawDependencyProblems } from "./dependency-issues.ts";
import { ConfigError, type ConfigIssue, formatPath, type PathSegment } from "./errors.ts";
import { hostProblems } from "./hosts.ts";
import { jobProblems } from "./job-issues.ts";
import { deepMerge, dropNulls } from "./merge.ts";
import { unplacedProcesses } from "./nodes.ts";
import { collectSecrets, Redactor } from "./redact.ts";
import { resolveWorkingDirs } from "./resolve-paths.ts";
import { type Config, ConfigSchema } from "./schema.ts";
import { secretMountValues } from "./secret-mounts.ts";
import type { Environ } from "./substitute.ts";
import {
  type ParsedSource,
  type Position,
  parseYamlSource,
  pathKey,
  type SourceLayer,
} from "./yaml-source.ts";
import { explainIssues, type SchemaProblem } from "./zod-issues.ts";

export interface LoadedConfig {
  config: Config;
  /** Absolute paths of the files the config was read from: base, overlay, then `.env` if any. */
  files: string[];
  redactor: Redactor;
  /** Things read but not applied (compose keys Vigil has no equivalent for), with file:line:col. */
  warnings?: ConfigIssue[];
}

/** One YAML text to load; later sources are overlays over earlier ones. */
export interface ConfigSource {
  text: string;
  /** Name used in error messages, as the user would type it. */
  file: string;
}

/**
 * Parses, substitutes, merges and validates config texts without touching the file system.
 * `configDir` anchors relative `cwd` values. Throws ConfigError with redacted messages.
 */
export function buildConfig(
  sources: ConfigSource[],
  environ: Environ,
  configDir: string,
  extra: {
    /** Already-read config under the sources (services translated from compose files). */
    base?: unknown;
    /** Validated for a cluster instance (VIGIL_CLUSTER=1): process services must name their node. */
    clusterMode?: boolean;
  } = {},
): Omit<LoadedConfig, "files"> {
  const { base, clusterMode = false } = extra;
  const parsed: ParsedSource[] = sources.map((s) => parseYamlSource(s.text, s.file, environ));
  const substituted = parsed.flatMap((p) => p.secrets);
  const merged = dropNulls(parsed.reduce<unknown>((acc, p) => deepMerge(acc, p.value), base) ?? {});
  const redactor = new Redactor([...substituted, ...collectSecrets(merged)]);
  const fail = (issues: ConfigIssue[]): never => {
    throw new ConfigError(issues.map((issue) => ({ ...issue, message: redactor.redact(issue.message) })));
  };

  const syntaxIssues = parsed.flatMap((p) => p.issues);
  if (syntaxIssues.length > 0) fail(syntaxIssues);

  const layers = parsed.map((p) => p.layer);
  const located = (problems: SchemaProblem[]): ConfigIssue[] =>
    problems.map((problem) => ({
      ...locate(layers, problem.path, problem.atKey),
      path: formatPath(problem.path),
      message: problem.message,
    }));

  const result = ConfigSchema.safeParse(merged);
  // Every mistake at once: the schema's problems and the dependency problems visible without a
  // valid schema (a misspelt depends_on next to a bad field), not one round trip per mistake.
  if (!result.success)
    return fail(
      located([
        ...explainIssues(ConfigSchema, merged, result.error.issues),
        ...rawDependencyProblems(merged),
      ]),
    );
  const dependencyIssues = [
    ...dependencyProblems(result.data),
    ...alertingProblems(result.data),
    ...jobProblems(result.data),
    ...hostProblems(result.data),
    ...(clusterMode ? unplacedProcesses(result.data) : []),
  ];
  if (dependencyIssues.length > 0) fail(located(dependencyIssues));

  const config = resolveWorkingDirs(result.data, configDir);
  // Secret files named relative to vigil.yaml are readable only now that their paths are resolved.
  const secretFiles = Object.values(config.services).flatMap((s) =>
    s.kind === "docker" ? secretMountValues(s as unknown as Record<string, unknown>) : [],
  );
  return {
    config,
    redactor:
      secretFiles.length === 0
        ? redactor
        : new Redactor([...substituted, ...collectSecrets(merged), ...secretFiles]),
  };
}

/**
 * One config text, for tests and tools: `fileName` names it in errors and its directory anchors
 * relative `cwd` values.
 */
export function parseConfigText(text: string, fileName: string, environ: Environ = {}): LoadedConfig {
  const { config, redactor } = buildConfig([{ text, file: fileName }], environ, dirname(resolve(fileName)));
  return { config, files: [resolve(fileName)], redactor };
}

/**
 * The position of the node at `path` in the last layer that wrote it (overlays win). A path that
 * does not exist (a missing required field) points at its nearest existing parent's key.
 */
function locate(
  layers: SourceLayer[],
  path: readonly PathSegment[],
  atKey: boolean,
): { file: string } & Position {
  for (let length = path.length; length >= 0; length--) {
    const key = pathKey(path.slice(0, length));
    const preferKey = atKey || length < path.length;
    for (const layer of [...layers].reverse()) {
      const position = (preferKey ? layer.keys.get(key) : undefined) ?? layer.values.get(key);
      if (position !== undefined) return { file: layer.file, ...position };
    }
  }
  return { file: layers[0]?.file ?? "vigil.yaml", line: 1, col: 1 };
}
