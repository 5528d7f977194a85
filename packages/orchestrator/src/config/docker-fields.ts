import { createHash } from "node:crypto";
import { z } from "zod";
import { duration } from "./duration.ts";
import { size } from "./size.ts";

/*
 * The fields of a docker service, named as docker-compose names them so a compose service reads
 * the same in vigil.yaml. Short and long forms are normalised here, so the runner sees one shape.
 */

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const commandLine = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => [v].flat());
const resourceName = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    "use letters, digits, '_', '.', '-' (starting with a letter or digit)",
  );

export const Build = z.union([
  z
    .string()
    .min(1)
    .transform((context) => ({ context, dockerfile: undefined, args: {}, target: undefined })),
  z.strictObject({
    context: z.string().min(1).default("."),
    dockerfile: z.string().min(1).optional(),
    args: stringMap.default({}),
    target: z.string().min(1).optional(),
  }),
]);
export type BuildSpec = z.output<typeof Build>;

/**
 * The tag of an image built for a service that names none: derived from the build spec, so
 * changed args or target give a new tag (and a build), while an unchanged spec reuses the image.
 */
export function builtImageName(build: BuildSpec | undefined): string {
  const text = JSON.stringify(build ?? null);
  return `vigil-build/${createHash("sha256").update(text).digest("hex").slice(0, 12)}:latest`;
}

/**
 * A mount. A source that is a path (starts with `/`, `.` or `~`) is a bind mount; any other
 * source names a volume that Vigil creates, labels, and never deletes.
 */
export const VolumeMount = z.union([
  z
    .string()
    .regex(/^([^:]+:)?\/[^:]*(:(ro|rw|z|Z)(,(ro|rw|z|Z))*)?$/, 'use "source:/target[:ro]" or "/target"')
    .transform((text) => {
      const parts = text.split(":");
      const [source, target, mode] = parts.length === 1 ? [undefined, parts[0], undefined] : parts;
      return mountOf(source, target ?? "", (mode ?? "").split(",").includes("ro"));
    }),
  z
    .strictObject({
      type: z.enum(["bind", "volume"]).optional(),
      source: z.string().min(1).optional(),
      target: z.string().regex(/^\//, "an absolute path inside the container"),
      read_only: z.boolean().default(false),
    })
    .transform((m) => mountOf(m.source, m.target, m.read_only, m.type)),
]);
export type VolumeMountSpec = z.output<typeof VolumeMount>;

function mountOf(
  source: string | undefined,
  target: string,
  readOnly: boolean,
  type?: "bind" | "volume",
): { type: "bind" | "volume"; source: string | undefined; target: string; read_only: boolean } {
  const kind = type ?? (source !== undefined && /^[/.~]/.test(source) ? "bind" : "volume");
  return { type: kind, source, target, read_only: readOnly };
}

/**
 * A top-level volume or network as compose declares it: `name` is its Docker name as is (not
 * `<project>_<name>`); `driver`, `driver_opts` and `labels` are passed to the engine when Vigil
 * creates it (which it labels as its own and never removes); `external`: it exists already and is
 * used as it is — never created, labelled or removed, and missing is an error.
 */
const NamedResource = z.strictObject({
  name: z.string().min(1).optional(),
  external: z.boolean().default(false),
  driver: z.string().min(1).optional(),
  driver_opts: stringMap.default({}),
  labels: stringMap.default({}),
});
export type NamedResourceSpec = z.output<typeof NamedResource>;

/**
 * A secret or config file put into the container (compose's `secrets:` / `configs:`): a host
 * `file` is bind-mounted read-only at `target`; `content` (a secret from the environment, an
 * inline config) is copied into the container before it starts, never written to the host's
 * disk. A secret's content is redacted wherever Vigil shows text.
 */
const FileMount = z
  .strictObject({
    /** The secret's or config's name (the top-level key). */
    name: resourceName,
    target: z.string().regex(/^\//, "an absolute path inside the container"),
    file: z.string().min(1).optional(),
    content: z.string().optional(),
    /** Owner and permissions of a copied file (compose: uid, gid, mode; default root, 0444). */
    uid: z.coerce.number().int().min(0).default(0),
    gid: z.coerce.number().int().min(0).default(0),
    mode: z.number().int().min(0).max(0o7777).default(0o444),
  })
  .refine((m) => (m.file === undefined) !== (m.content === undefined), "give exactly one of file or content");
export type FileMountSpec = z.output<typeof FileMount>;

const Networks = z
  .union([
    z.array(resourceName),
    z.record(resourceName, z.strictObject({ aliases: z.array(z.string().min(1)).default([]) }).nullable()),
  ])
  .transform(
    (value): Record<string, { aliases: string[] }> =>
      Array.isArray(value)
        ? Object.fromEntries(value.map((name) => [name, { aliases: [] }]))
        : Object.fromEntries(
            Object.entries(value).map(([name, spec]) => [name, { aliases: spec?.aliases ?? [] }]),
          ),
  );

const ExtraHosts = z
  .union([z.array(z.string().regex(/^[^:=\s]+[:=].+$/, 'use "host:ip"')), z.record(z.string(), z.string())])
  .transform((value) =>
    Array.isArray(value)
      ? value.map((entry) => entry.replace(/^([^:=]+)=/, "$1:"))
      : Object.entries(value).map(([host, ip]) => `${host}:${ip}`),
  );

const Ulimit = z.union([
  z
    .number()
    .int()
    .transform((n) => ({ soft: n, hard: n })),
  z.strictObject({ soft: z.number().int(), hard: z.number().int() }),
]);

export const Healthcheck = z.strictObject({
  /** `["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]`, or a string run by the container's shell. */
  test: z
    .union([z.string().min(1), z.array(z.string()).min(1)])
    .optional()
    .refine(
      (t) => t === undefined || typeof t === "string" || ["CMD", "CMD-SHELL", "NONE"].includes(t[0] ?? ""),
      'a list test starts with "CMD", "CMD-SHELL" or "NONE"',
    ),
  interval: duration.optional(),
  timeout: duration.optional(),
  retries: z.number().int().min(0).optional(),
  start_period: duration.optional(),
  start_interval: duration.optional(),
  /** Turns off a HEALTHCHECK the image declares (same as test: ["NONE"]). */
  disable: z.boolean().default(false),
});
export type HealthcheckSpec = z.output<typeof Healthcheck>;

export const dockerFields = {
  /** The engine it runs on: a name from the top-level `hosts:` (default: the local engine). */
  host: z.string().min(1).optional(),
  /** Required unless `build` is set; then the built image is tagged `<project>-<service>`. */
  image: z.string().min(1).optional(),
  build: Build.optional(),
  container_name: z.string().optional(),
  /** A string runs through `sh -c`; a list runs as is. */
  command: commandLine.optional(),
  /** A string is split on spaces (quotes kept together); a list runs as is. */
  entrypoint: commandLine.optional(),
  env: stringMap.default({}),
  /** Files of KEY=value lines (relative to the config file); `env` wins over them. */
  env_file: oneOrMany.default([]),
  ports: z
    .array(
      z
        .string()
        .regex(
          /^((\d{1,3}(\.\d{1,3}){3}):)?(\d+:)?\d+(\/(tcp|udp))?$/,
          'use "[ip:]host:container" like "8080:80"',
        ),
    )
    .default([]),
  volumes: z.array(VolumeMount).default([]),
  /** Top-level volumes by the name services use: Docker name, driver, options, labels, external. */
  named_volumes: z.record(resourceName, NamedResource).default({}),
  /** Docker's network mode (compose's `network_mode`): host (default without `networks`), none, container:<name>. */
  network: z.string().optional(),
  /** Named networks, created (labelled) when missing and attached with their aliases. */
  networks: Networks.default({}),
  /** Top-level networks by the name services use: Docker name, driver, options, labels, external. */
  named_networks: z.record(resourceName, NamedResource).default({}),
  /** Secrets put into the container, at /run/secrets/<name> unless `target` says otherwise. */
  secret_mounts: z.array(FileMount).default([]),
  /** Configs put into the container at their `target`. */
  config_mounts: z.array(FileMount).default([]),
  user: z.string().optional(),
  working_dir: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  extra_hosts: ExtraHosts.default([]),
  cap_add: z.array(z.string().min(1)).default([]),
  cap_drop: z.array(z.string().min(1)).default([]),
  /** "/dev/host[:/dev/container[:rwm]]". */
  devices: z
    .array(z.string().regex(/^\/[^:]+(:\/[^:]+)?(:[rwm]+)?$/, 'use "/dev/host:/dev/container[:rwm]"'))
    .default([]),
  ulimits: z.record(z.string(), Ulimit).default({}),
  /** "/path[:options]" mounted as tmpfs. */
  tmpfs: oneOrMany.default([]),
  stop_signal: z.string().optional(),
  resources: z
    .strictObject({
      cpus: z.number().positive().optional(),
      memory: size.optional(),
      pids: z.number().int().positive().optional(),
      reservations: z
        .strictObject({ cpus: z.number().positive().optional(), memory: size.optional() })
        .optional(),
    })
    .default({}),
  healthcheck: Healthcheck.optional(),
};
