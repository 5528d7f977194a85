import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, type ConfigIssue, formatPath, type PathSegment } from "../errors.ts";
import type { Environ } from "../substitute.ts";
import { parseYamlSource, pathKey, type SourceLayer } from "../yaml-source.ts";
import { interpolate } from "./interpolate.ts";
import { mergeComposeFiles, mergeService, mergeTopLevel } from "./merge.ts";
import { isMap, type RawMap } from "./raw.ts";
import { composeSpecIssues } from "./validate.ts";

export type { RawMap } from "./raw.ts";
export { isMap } from "./raw.ts";

/** One service as written, with the file it came from (for paths and positions). */
export interface RawService {
  name: string;
  value: RawMap;
  /** The compose file that defines it: relative paths in it are relative to this file's directory. */
  file: string;
  /** Where its keys were written, for warnings with line:col. */
  layer: SourceLayer;
  /** Its path in that file (an `extends` base keeps its own). */
  path: PathSegment[];
}

export interface RawProject {
  name: string | undefined;
  services: Map<string, RawService>;
  volumes: RawMap;
  networks: RawMap;
  secrets: RawMap;
  configs: RawMap;
  /** Every file's source layer, in reading order: where top-level keys were written. */
  layers: SourceLayer[];
  /** Top-level keys Vigil has no use for, with where they were written. */
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
  files: string[];
}

export interface ReadOptions {
  environ: Environ;
  display: (absolute: string) => string;
}

const TOP_LEVEL = new Set([
  "version",
  "name",
  "services",
  "volumes",
  "networks",
  "include",
  "secrets",
  "configs",
]);

/** Reads compose files merged in order (`-f a -f b`), with their `include`s and `extends`. */
export function readComposeProject(paths: string[], opts: ReadOptions): RawProject {
  const project: RawProject = {
    name: undefined,
    services: new Map(),
    volumes: {},
    networks: {},
    secrets: {},
    configs: {},
    layers: [],
    issues: [],
    warnings: [],
    files: [],
  };
  const files = paths.map((path) => readOne(path, opts, project, new Set()));
  mergeComposeFiles(project, files);
  if (project.issues.length > 0) throw new ConfigError(project.issues);
  return project;
}

/** Where a project-wide key was last written (later files override earlier ones): file, line, col. */
export function writtenAt(project: RawProject, path: PathSegment[]): Omit<ConfigIssue, "message"> {
  for (const layer of [...project.layers].reverse()) {
    const pos = layer.keys.get(pathKey(path)) ?? layer.values.get(pathKey(path));
    if (pos) return { file: layer.file, ...pos, path: formatPath(path) };
  }
  return { file: project.layers[0]?.file ?? "", line: 0, col: 0, path: formatPath(path) };
}

export interface ParsedFile {
  path: string;
  value: RawMap;
  layer: SourceLayer;
  services: Map<string, RawService>;
}

function readOne(path: string, opts: ReadOptions, project: RawProject, seen: Set<string>): ParsedFile {
  const file = opts.display(path);
  if (seen.has(path))
    throw new ConfigError([{ file, line: 0, col: 0, path: "include", message: "include cycle" }]);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`;
    throw new ConfigError([{ file, line: 0, col: 0, path: "", message }]);
  }
  project.files.push(path);
  const parsed = parseYamlSource(
    text,
    file,
    opts.environ,
    (scalar, environ, at) =>
      interpolate(scalar, environ, (message) => project.warnings.push({ file, ...at, path: "", message })),
    true,
  );
  if (parsed.issues.length > 0) throw new ConfigError(parsed.issues);
  if (!isMap(parsed.value)) {
    throw new ConfigError([
      { file, line: 1, col: 1, path: "", message: "a compose file is a mapping with services" },
    ]);
  }
  const value = parsed.value;
  const layer = parsed.layer;
  project.layers.push(layer);
  // What the compose spec refuses is refused here, before any of it is read as a stack.
  const invalid = composeSpecIssues(value, layer);
  if (invalid.length > 0) throw new ConfigError(invalid);
  const at = (p: PathSegment[]) =>
    layer.keys.get(pathKey(p)) ?? layer.values.get(pathKey(p)) ?? { line: 0, col: 0 };
  for (const key of Object.keys(value)) {
    if (TOP_LEVEL.has(key) || key.startsWith("x-")) continue;
    project.warnings.push({ file, ...at([key]), path: key, message: "not supported by Vigil; ignored" });
  }
  const servicesValue = value.services ?? {};
  if (!isMap(servicesValue)) {
    project.issues.push({
      file,
      ...at(["services"]),
      path: "services",
      message: "services must be a mapping",
    });
  }
  const services = new Map<string, RawService>();
  for (const [name, service] of Object.entries(isMap(servicesValue) ? servicesValue : {})) {
    if (!isMap(service)) {
      project.issues.push({
        file,
        ...at(["services", name]),
        path: `services.${name}`,
        message: "a service is a mapping",
      });
      continue;
    }
    services.set(name, { name, value: service, file: path, layer, path: ["services", name] });
  }
  const parsedFile: ParsedFile = { path, value, layer, services };
  resolveExtends(parsedFile, opts, project, seen);
  for (const included of includesOf(parsedFile, project)) {
    const other = readOne(included, opts, project, new Set([...seen, path]));
    for (const [name, service] of other.services) {
      if (services.has(name)) {
        project.issues.push({
          file,
          ...at(["include"]),
          path: "include",
          message: `service "${name}" is defined both here and in included ${opts.display(included)}`,
        });
      } else services.set(name, service);
    }
    mergeTopLevel(project, other.value);
  }
  return parsedFile;
}

function includesOf(file: ParsedFile, project: RawProject): string[] {
  const include = file.value.include;
  if (include === undefined) return [];
  const entries = Array.isArray(include) ? include : [include];
  const base = dirname(file.path);
  return entries.flatMap((entry) => {
    if (typeof entry === "string") return [resolve(base, entry)];
    if (isMap(entry) && (typeof entry.path === "string" || Array.isArray(entry.path))) {
      return [entry.path].flat().map((p) => resolve(base, String(p)));
    }
    project.issues.push({
      file: file.layer.file,
      ...(file.layer.keys.get(pathKey(["include"])) ?? { line: 0, col: 0 }),
      path: "include",
      message: "an include entry is a path or {path}",
    });
    return [];
  });
}

/** `extends: base` or `extends: {service, file}`: the base's keys, overridden by the service's. */
function resolveExtends(file: ParsedFile, opts: ReadOptions, project: RawProject, seen: Set<string>): void {
  const resolving = new Set<string>();
  const resolveOne = (service: RawService): RawService => {
    const spec = service.value.extends;
    if (spec === undefined) return service;
    const where = {
      file: service.layer.file,
      ...(service.layer.keys.get(pathKey([...service.path, "extends"])) ?? { line: 0, col: 0 }),
    };
    const fail = (message: string): RawService => {
      project.issues.push({ ...where, path: formatPath([...service.path, "extends"]), message });
      return service;
    };
    const target = typeof spec === "string" ? { service: spec } : isMap(spec) ? spec : undefined;
    if (!target || typeof target.service !== "string") return fail("use extends: name or {service, file}");
    if (resolving.has(service.name)) return fail("extends cycle");
    resolving.add(service.name);
    let base: RawService | undefined;
    if (typeof target.file === "string") {
      const other = readOne(
        resolve(dirname(service.file), target.file),
        opts,
        project,
        new Set([...seen, file.path]),
      );
      base = other.services.get(target.service);
    } else {
      const local = file.services.get(target.service);
      base = local ? resolveOne(local) : undefined;
    }
    resolving.delete(service.name);
    if (!base) return fail(`no service "${target.service}" to extend`);
    const { extends: _dropped, ...own } = service.value;
    const { depends_on: _notInherited, ...inherited } = base.value;
    const merged: RawService = { ...service, value: mergeService(inherited, own) };
    file.services.set(service.name, merged);
    return merged;
  };
  for (const service of [...file.services.values()]) resolveOne(service);
}
