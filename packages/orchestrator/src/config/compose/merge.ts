import { isMap, type RawMap } from "./raw.ts";
import type { ParsedFile, RawProject } from "./read.ts";

/*
 * Compose's merge rules (`-f a -f b`, `extends`): scalars and the command-like keys are replaced,
 * mappings are merged key by key, `environment`/`labels`/`extra_hosts` merge as maps whatever
 * form they were written in, and other sequences (ports, volumes, cap_add…) are appended without
 * duplicates, a later volume with the same target replacing the earlier one.
 */

const REPLACED = new Set(["command", "entrypoint", "healthcheck.test", "build.args"]);
const AS_MAP = new Set(["environment", "labels", "extra_hosts", "build.args", "deploy.labels"]);

/** `["A=1", "B"]` → `{A: "1", B: null}`; a mapping stays as is. */
export function listToMap(value: unknown, separator = "="): RawMap {
  if (isMap(value)) return value;
  if (!Array.isArray(value)) return {};
  return Object.fromEntries(
    value.map((entry) => {
      const text = String(entry);
      const at = text.indexOf(separator);
      return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
    }),
  );
}

const targetOf = (entry: unknown): string | undefined => {
  if (isMap(entry) && typeof entry.target === "string") return entry.target;
  if (typeof entry !== "string") return undefined;
  const parts = entry.split(":");
  return parts.length === 1 ? parts[0] : parts[1];
};

function mergeValue(base: unknown, over: unknown, key: string): unknown {
  if (over === undefined) return base;
  if (base === undefined || REPLACED.has(key)) return over;
  if (AS_MAP.has(key) && (Array.isArray(base) || Array.isArray(over))) {
    const separator = key === "extra_hosts" ? ":" : "=";
    return { ...listToMap(base, separator), ...listToMap(over, separator) };
  }
  if (isMap(base) && isMap(over)) {
    const out: RawMap = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = mergeValue(base[k], v, `${key}.${k}`);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    if (key === "volumes") {
      const targets = new Set(over.map(targetOf));
      return [...base.filter((e) => !targets.has(targetOf(e))), ...over];
    }
    const seen = new Set(base.map((e) => JSON.stringify(e)));
    return [...base, ...over.filter((e) => !seen.has(JSON.stringify(e)))];
  }
  return over;
}

export function mergeService(base: RawMap, over: RawMap): RawMap {
  const out: RawMap = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeValue(base[key], value, key);
  return out;
}

/** Later files override earlier ones, service by service; positions point at the last writer. */
export function mergeComposeFiles(project: RawProject, files: ParsedFile[]): void {
  for (const file of files) {
    mergeTopLevel(project, file.value);
    for (const [name, service] of file.services) {
      const earlier = project.services.get(name);
      project.services.set(
        name,
        earlier
          ? { ...service, file: earlier.file, value: mergeService(earlier.value, service.value) }
          : service,
      );
    }
  }
}

/** Project-wide keys: the first `name:` wins; volumes, networks, secrets and configs are merged by name. */
export function mergeTopLevel(project: RawProject, value: RawMap): void {
  if (typeof value.name === "string" && project.name === undefined) project.name = value.name;
  if (isMap(value.volumes)) Object.assign(project.volumes, value.volumes);
  if (isMap(value.networks)) Object.assign(project.networks, value.networks);
  if (isMap(value.secrets)) Object.assign(project.secrets, value.secrets);
  if (isMap(value.configs)) Object.assign(project.configs, value.configs);
}
