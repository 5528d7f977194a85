import { basename, dirname } from "node:path";
import { ConfigError, type ConfigIssue, type PathSegment } from "../errors.ts";
import type { Environ } from "../substitute.ts";
import { listToMap } from "./merge.ts";
import { isMap, type RawMap, readComposeProject, writtenAt } from "./read.ts";
import { translateService } from "./translate.ts";

export interface ComposeOptions {
  environ: Environ;
  /** Active profiles; default COMPOSE_PROFILES (comma-separated). */
  profiles?: string[];
  display: (absolute: string) => string;
}

export interface ComposeConfig {
  /** The compose project name: `name:`, COMPOSE_PROJECT_NAME, or the first file's directory. */
  project: string;
  /** Vigil services in the raw shape of vigil.yaml (validated by the caller). */
  services: Record<string, RawMap>;
  warnings: ConfigIssue[];
  files: string[];
  /** Secrets taken from the environment: secret name → variable (`vigil import` writes `${VAR}`, not the value). */
  secretVariables: Record<string, string>;
}

/** Compose's project-name rule: lower case letters, digits, `-` and `_`, starting with a letter or digit. */
export const projectNameOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[-_]+/, "");

/** Reads compose files (merged in order) into Vigil services with compose's semantics. */
export function loadCompose(paths: string[], opts: ComposeOptions): ComposeConfig {
  const raw = readComposeProject(paths, opts);
  const project = projectNameOf(
    raw.name ?? opts.environ.COMPOSE_PROJECT_NAME ?? basename(dirname(paths[0] ?? ".")),
  );
  const profiles = opts.profiles ?? (opts.environ.COMPOSE_PROFILES ?? "").split(",").filter(Boolean);
  const enabled = new Set(
    [...raw.services.values()]
      .filter((s) => {
        const own = Array.isArray(s.value.profiles) ? s.value.profiles.map(String) : [];
        return own.length === 0 || profiles.includes("*") || own.some((p) => profiles.includes(p));
      })
      .map((s) => s.name),
  );
  const warnings = [...raw.warnings];
  const errors: ConfigIssue[] = [];
  const services: Record<string, RawMap> = {};
  for (const name of enabled) {
    const service = raw.services.get(name);
    if (!service) continue;
    services[name] = translateService(service, {
      project,
      environ: opts.environ,
      enabled,
      hasHealth: (other) => {
        const value = raw.services.get(other)?.value;
        const extras = value?.["x-vigil"];
        const health = value?.healthcheck;
        const own =
          isMap(health) &&
          health.disable !== true &&
          !(Array.isArray(health.test) && health.test[0] === "NONE");
        return own || (isMap(extras) && Array.isArray(extras.checks) && extras.checks.length > 0);
      },
      configFiles: raw.files,
      secrets: raw.secrets,
      configs: raw.configs,
      projectDir: dirname(paths[0] ?? "."),
      warn: (issue) => warnings.push(issue),
      fail: (issue) => errors.push(issue),
    });
  }
  const warn = (path: PathSegment[], message: string) => warnings.push({ ...writtenAt(raw, path), message });
  const named: Record<string, Record<string, RawMap>> = {
    named_volumes: namedResources(raw.volumes, "volumes", warn),
    named_networks: namedResources(raw.networks, "networks", warn),
  };
  for (const service of Object.values(services)) {
    for (const [key, map] of Object.entries(named)) if (Object.keys(map).length > 0) service[key] = map;
  }
  if (errors.length > 0) throw new ConfigError(errors);
  const secretVariables = Object.fromEntries(
    Object.entries(raw.secrets).flatMap(([name, spec]) =>
      isMap(spec) && typeof spec.environment === "string" ? [[name, spec.environment]] : [],
    ),
  );
  return { project, services, warnings, files: raw.files, secretVariables };
}

/** `docker-compose.yml`, `compose.yaml`, `docker-compose.prod.yml`…: read as compose, not vigil.yaml. */
export const isComposeFile = (path: string): boolean =>
  /^(docker-)?compose(\.[\w-]+)*\.ya?ml$/.test(basename(path));

/**
 * Top-level volumes or networks, keyed by the name services use: their Docker name (`name:`, or
 * the key itself when `external`), driver, driver options and labels, passed to the engine when
 * Vigil creates them. An external one is used as it is, so its driver and labels are not Vigil's
 * to set: warned.
 */
function namedResources(
  specs: RawMap,
  kind: "volumes" | "networks",
  warn: (path: PathSegment[], message: string) => void,
): Record<string, RawMap> {
  const out: Record<string, RawMap> = {};
  for (const [key, spec] of Object.entries(specs)) {
    if (!isMap(spec)) continue;
    // Compose's old spelling `external: {name: x}` still names it.
    const legacy =
      isMap(spec.external) && typeof spec.external.name === "string" ? spec.external.name : undefined;
    const external = spec.external === true || isMap(spec.external);
    const name = typeof spec.name === "string" ? spec.name : (legacy ?? (external ? key : undefined));
    for (const field of ["driver", "driver_opts", "labels"] as const)
      if (external && spec[field] !== undefined)
        warn(
          [kind, key, field],
          `${field} of an external ${kind.slice(0, -1)} is ignored: it exists as it is`,
        );
    out[key] = {
      ...(name === undefined ? {} : { name }),
      external,
      ...(typeof spec.driver === "string" && !external ? { driver: spec.driver } : {}),
      ...(isMap(spec.driver_opts) && !external ? { driver_opts: spec.driver_opts } : {}),
      ...(spec.labels !== undefined && !external
        ? {
            labels: Object.fromEntries(
              Object.entries(listToMap(spec.labels)).map(([k, v]) => [k, String(v ?? "")]),
            ),
          }
        : {}),
    };
    if (kind === "networks") {
      for (const field of ["ipam", "internal", "attachable", "enable_ipv6"])
        if (spec[field] !== undefined)
          warn([kind, key, field], `${field} is not supported by Vigil; ignored`);
    }
  }
  return out;
}
