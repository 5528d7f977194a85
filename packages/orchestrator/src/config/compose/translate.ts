import { dirname, resolve } from "node:path";
import type { DependencyCondition } from "../../graph/dependencies.ts";
import type { ConfigIssue, PathSegment } from "../errors.ts";
import { formatPath } from "../errors.ts";
import { shellWords } from "../shell-words.ts";
import type { Environ } from "../substitute.ts";
import { pathKey } from "../yaml-source.ts";
import { translateFileMounts } from "./files.ts";
import { listToMap } from "./merge.ts";
import { composePorts } from "./ports.ts";
import { isMap, type RawMap, type RawService } from "./read.ts";

/*
 * One compose service → one Vigil docker service (the raw shape vigil.yaml would hold). Keys
 * Vigil has no equivalent for become warnings with file:line:col, never silently dropped.
 */

/** Copied as they are: vigil.yaml names them as compose does. */
const SAME = [
  "container_name",
  "user",
  "working_dir",
  "cap_add",
  "cap_drop",
  "stop_signal",
  "ulimits",
] as const;
/** Handled below. */
const MAPPED = new Set([
  "image",
  "build",
  "command",
  "entrypoint",
  "environment",
  "env_file",
  "ports",
  "volumes",
  "networks",
  "network_mode",
  "labels",
  "extra_hosts",
  "devices",
  "tmpfs",
  "stop_grace_period",
  "deploy",
  "healthcheck",
  "restart",
  "depends_on",
  "profiles",
  "x-vigil",
  "mem_limit",
  "mem_reservation",
  "cpus",
  "pids_limit",
  "extends",
  "secrets",
  "configs",
]);
const CONDITIONS: Record<string, DependencyCondition> = {
  service_started: "started",
  service_healthy: "healthy",
  service_completed_successfully: "completed",
};
const VIGIL_EXTRAS = new Set([
  "group",
  "critical",
  "rollback",
  "checks",
  "description",
  "secrets",
  "startup_timeout",
  "restart",
  "host",
]);

export interface TranslateContext {
  project: string;
  environ: Environ;
  /** Names of the services enabled (profiles): dependencies on others are dropped or errors. */
  enabled: Set<string>;
  /** Whether a service has a health signal (a healthcheck, or checks under x-vigil). */
  hasHealth: (service: string) => boolean;
  configFiles: string[];
  /** The project's top-level secrets and configs, which services name. */
  secrets: RawMap;
  configs: RawMap;
  projectDir: string;
  warn: (issue: ConfigIssue) => void;
  fail: (issue: ConfigIssue) => void;
}

export function translateService(raw: RawService, ctx: TranslateContext): RawMap {
  const s = raw.value;
  const dir = dirname(raw.file);
  const where = (...rest: PathSegment[]) => {
    const path = [...raw.path, ...rest];
    // The nearest located key: list items have no key of their own, so `ports.1` points at `ports`.
    let pos: { line: number; col: number } | undefined;
    for (let n = path.length; pos === undefined && n >= raw.path.length; n--)
      pos = raw.layer.keys.get(pathKey(path.slice(0, n)));
    return { file: raw.layer.file, ...(pos ?? { line: 0, col: 0 }), path: formatPath(path) };
  };
  const unsupported = (message: string, ...path: PathSegment[]) => ctx.warn({ ...where(...path), message });
  const out: RawMap = { kind: "docker" };

  for (const key of Object.keys(s)) {
    if (!MAPPED.has(key) && !(SAME as readonly string[]).includes(key) && !key.startsWith("x-")) {
      unsupported(`"${key}" has no Vigil equivalent; ignored`, key);
    }
  }
  for (const key of SAME) if (s[key] !== undefined) out[key] = s[key];
  out.container_name ??= `${ctx.project}-${raw.name}-1`;

  if (s.build !== undefined) out.build = translateBuild(s.build, dir, unsupported);
  out.image = s.image ?? `${ctx.project}-${raw.name}`;
  if (s.command !== undefined) out.command = words(s.command);
  if (s.entrypoint !== undefined) out.entrypoint = words(s.entrypoint);
  const environment = listToMap(s.environment);
  out.env = Object.fromEntries(
    Object.entries(environment).flatMap(([k, v]) =>
      v === null || v === undefined ? (ctx.environ[k] === undefined ? [] : [[k, ctx.environ[k]]]) : [[k, v]],
    ),
  );
  if (s.env_file !== undefined) {
    out.env_file = [s.env_file].flat().flatMap((entry) => {
      const path = isMap(entry) ? entry.path : entry;
      return typeof path === "string" ? [resolve(dir, path)] : [];
    });
  }
  if (Array.isArray(s.ports))
    out.ports = s.ports.flatMap((p, i) => {
      const ports = composePorts(p);
      if ("ports" in ports) return ports.ports;
      unsupported(`${ports.error}; ignored`, "ports", i);
      return [];
    });
  const tmpfs: string[] = [s.tmpfs ?? []].flat().map(String);
  if (Array.isArray(s.volumes)) {
    out.volumes = s.volumes.flatMap((v: unknown, i): unknown[] => {
      if (isMap(v) && v.type === "tmpfs") {
        tmpfs.push(String(v.target));
        return [];
      }
      if (isMap(v)) {
        const source = typeof v.source === "string" && v.type === "bind" ? resolve(dir, v.source) : v.source;
        return [{ type: v.type, source, target: v.target, read_only: v.read_only === true }];
      }
      if (typeof v !== "string") {
        unsupported("a volume is a string or a mapping", "volumes", i);
        return [];
      }
      const [source, ...rest] = v.split(":");
      if (rest.length === 0) return [v];
      return [[/^[.~]/.test(source ?? "") ? resolve(dir, source ?? "") : source, ...rest].join(":")];
    });
  }
  if (tmpfs.length > 0) out.tmpfs = tmpfs;
  if (s.network_mode !== undefined) out.network = s.network_mode;
  else if (s.networks !== undefined) out.networks = s.networks;
  else out.networks = ["default"]; // compose attaches every service to <project>_default
  out.labels = {
    ...Object.fromEntries(Object.entries(listToMap(s.labels)).map(([k, v]) => [k, String(v ?? "")])),
    "com.docker.compose.project": ctx.project,
    "com.docker.compose.service": raw.name,
    "com.docker.compose.container-number": "1",
    "com.docker.compose.oneoff": "False",
    "com.docker.compose.project.working_dir": dir,
    "com.docker.compose.project.config_files": ctx.configFiles.join(","),
  };
  if (s.extra_hosts !== undefined)
    out.extra_hosts = Object.entries(listToMap(s.extra_hosts, ":")).map(([h, ip]) => `${h}:${String(ip)}`);
  if (Array.isArray(s.devices)) out.devices = s.devices.filter((d): d is string => typeof d === "string");
  if (s.stop_grace_period !== undefined) out.stop_grace = s.stop_grace_period;
  for (const [kind, field] of [
    ["secrets", "secret_mounts"],
    ["configs", "config_mounts"],
  ] as const) {
    const mounts = translateFileMounts(s[kind], {
      kind,
      definitions: ctx[kind],
      environ: ctx.environ,
      projectDir: ctx.projectDir,
      where,
      warn: ctx.warn,
      fail: ctx.fail,
    });
    if (mounts.length > 0) out[field] = mounts;
  }
  const resources = translateResources(s, unsupported);
  if (Object.keys(resources).length > 0) out.resources = resources;
  if (isMap(s.healthcheck)) {
    const { test, interval, timeout, retries, start_period, start_interval, disable } = s.healthcheck;
    out.healthcheck = { test, interval, timeout, retries, start_period, start_interval, disable };
    // Docker's health becomes a Vigil check too, so service_healthy gates on it.
    if (disable !== true && !(Array.isArray(test) && test[0] === "NONE"))
      out.checks = [{ kind: "docker", use_healthcheck: true }];
  }
  const restart = translateRestart(s, unsupported);
  if (restart !== undefined) out.restart = restart;
  const depends = translateDepends(raw, ctx, where);
  if (Object.keys(depends).length > 0) out.depends_on = depends;
  const extras = s["x-vigil"];
  if (isMap(extras)) {
    for (const [key, value] of Object.entries(extras)) {
      if (!VIGIL_EXTRAS.has(key))
        unsupported(
          `x-vigil.${key} is not a Vigil service field (use ${[...VIGIL_EXTRAS].join(", ")})`,
          "x-vigil",
          key,
        );
      else if (key === "checks" && Array.isArray(value))
        out.checks = [...((out.checks as unknown[]) ?? []), ...value];
      else out[key] = value;
    }
  }
  return out;
}

const words = (value: unknown): unknown => (typeof value === "string" ? shellWords(value) : value);

function translateBuild(
  build: unknown,
  dir: string,
  warn: (m: string, ...p: PathSegment[]) => void,
): unknown {
  if (typeof build === "string") return { context: resolve(dir, build) };
  if (!isMap(build)) return build;
  const { context = ".", dockerfile, args, target, ...rest } = build;
  for (const key of Object.keys(rest)) warn(`build.${key} is not supported; ignored`, "build", key);
  return {
    context: resolve(dir, String(context)),
    ...(dockerfile === undefined ? {} : { dockerfile }),
    ...(args === undefined ? {} : { args: listToMap(args) }),
    ...(target === undefined ? {} : { target }),
  };
}

function translateResources(s: RawMap, warn: (m: string, ...p: PathSegment[]) => void): RawMap {
  const deploy = isMap(s.deploy) ? s.deploy : {};
  for (const key of Object.keys(deploy)) {
    if (key !== "resources" && key !== "restart_policy")
      warn(`deploy.${key} is not supported; ignored`, "deploy", key);
  }
  const res = isMap(deploy.resources) ? deploy.resources : {};
  const limits = isMap(res.limits) ? res.limits : {};
  const reservations = isMap(res.reservations) ? res.reservations : {};
  if (reservations.cpus !== undefined)
    warn("reservations.cpus has no effect outside swarm; ignored", "deploy", "resources");
  const cpus = limits.cpus ?? s.cpus;
  const memory = limits.memory ?? s.mem_limit;
  const pids = limits.pids ?? s.pids_limit;
  const reserved = reservations.memory ?? s.mem_reservation;
  return {
    ...(cpus === undefined ? {} : { cpus: Number(cpus) }),
    ...(memory === undefined ? {} : { memory }),
    ...(pids === undefined ? {} : { pids: Number(pids) }),
    ...(reserved === undefined ? {} : { reservations: { memory: reserved } }),
  };
}

function translateRestart(s: RawMap, warn: (m: string, ...p: PathSegment[]) => void): unknown {
  const deploy = isMap(s.deploy) ? s.deploy : {};
  const policy = isMap(deploy.restart_policy) ? deploy.restart_policy : undefined;
  if (policy) {
    const condition = { none: "no", "on-failure": "on-failure", any: "always" }[
      String(policy.condition ?? "any")
    ];
    if (condition === undefined)
      warn(`unknown restart condition ${String(policy.condition)}`, "deploy", "restart_policy");
    return {
      policy: condition ?? "always",
      ...(policy.max_attempts === undefined ? {} : { max_retries: Number(policy.max_attempts) }),
      ...(policy.delay === undefined ? {} : { backoff: { initial: policy.delay } }),
      ...(policy.window === undefined ? {} : { reset_after: policy.window }),
    };
  }
  return s.restart;
}

function translateDepends(
  raw: RawService,
  ctx: TranslateContext,
  where: (...p: PathSegment[]) => Omit<ConfigIssue, "message">,
): Record<string, { condition: DependencyCondition; restart?: boolean }> {
  const value = raw.value.depends_on;
  const entries: [string, RawMap][] = Array.isArray(value)
    ? value.map((name) => [String(name), {}])
    : isMap(value)
      ? Object.entries(value).map(([name, spec]) => [name, isMap(spec) ? spec : {}])
      : [];
  const out: Record<string, { condition: DependencyCondition; restart?: boolean }> = {};
  for (const [name, spec] of entries) {
    const condition = String(spec.condition ?? "service_started");
    if (!ctx.enabled.has(name)) {
      if (spec.required === false) continue;
      ctx.fail({
        ...where("depends_on", name),
        message: `depends on "${name}", which is not enabled (profiles) or not defined`,
      });
      continue;
    }
    if (!Object.hasOwn(CONDITIONS, condition)) {
      ctx.fail({ ...where("depends_on", name, "condition"), message: `unknown condition "${condition}"` });
    }
    if (condition === "service_healthy" && !ctx.hasHealth(name)) {
      ctx.warn({
        ...where("depends_on", name, "condition"),
        message: `"${name}" has no healthcheck: Vigil counts it healthy once started (docker compose would refuse to start)`,
      });
    }
    out[name] = {
      condition: CONDITIONS[condition] ?? "started",
      ...(spec.restart === true ? { restart: true } : {}),
    };
  }
  return out;
}
