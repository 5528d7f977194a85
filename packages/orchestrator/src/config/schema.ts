import { z } from "zod";
import { AlertingSchema, AlertPolicyOverrides } from "../alerting/config.ts";
import { CheckSchema } from "../probes/registry.ts";
import { builtImageName, dockerFields, VolumeMount } from "./docker-fields.ts";
import { duration } from "./duration.ts";
import { commandLine, stringMap } from "./fields.ts";
import { DockerHost } from "./hosts.ts";
import { backupTemplate, drill, schedule, timezone } from "./job-fields.ts";
import { size } from "./size.ts";

// Checks are declared beside their probes (probes/<kind>.ts) and gathered by the probe registry.
export { CHECK_KINDS, type CheckKind, CheckSchema, type CheckSpec } from "../probes/registry.ts";

/*
 * The shape of vigil.yaml. Keys stay snake_case exactly as written in YAML so that every error
 * path printed to a user is the path they see in their file.
 */

export const RestartPolicy = z.union([
  z
    .string()
    .regex(
      /^(no|always|unless-stopped|on-failure(:\d+)?)$/,
      "use no, always, unless-stopped or on-failure[:N]",
    )
    .transform((text) => {
      const [policy, max] = text.split(":") as [string, string | undefined];
      return {
        policy: policy as "no" | "always" | "unless-stopped" | "on-failure",
        max_retries: max === undefined ? undefined : Number(max),
        backoff: { initial: 1000, max: 60_000, factor: 2 },
        reset_after: 60_000,
      };
    }),
  z.strictObject({
    policy: z.enum(["no", "always", "unless-stopped", "on-failure"]),
    max_retries: z.number().int().min(0).optional(),
    backoff: z
      .strictObject({
        initial: duration.default(1000),
        max: duration.default(60_000),
        factor: z.number().min(1).default(2),
      })
      .default({ initial: 1000, max: 60_000, factor: 2 }),
    /** Running this long without a crash resets the backoff and the retry count. */
    reset_after: duration.default(60_000),
  }),
]);
export type RestartPolicySpec = z.output<typeof RestartPolicy>;

const serviceName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "use letters, digits, '_', '.', '-'");

export const DependsOn = z.union([
  z.array(serviceName),
  z.record(
    serviceName,
    z.strictObject({
      /** `completed`: waits until the dependency exited with code 0 (a migration, a seed job). */
      condition: z.enum(["started", "healthy", "completed"]).default("healthy"),
      /** A restart of the dependency restarts this service too (compose's `depends_on.restart`). */
      restart: z.boolean().optional(),
    }),
  ),
]);

const serviceCommon = {
  description: z.string().optional(),
  group: z.string().default("default"),
  depends_on: DependsOn.default([]),
  critical: z.boolean().default(false),
  restart: RestartPolicy.prefault("no"),
  startup_timeout: duration.default(60_000),
  stop_grace: duration.default(10_000),
  rollback: z.enum(["manual", "auto"]).default("manual"),
  checks: z
    .array(CheckSchema)
    .default([])
    .describe("How the service's health is checked; the first is primary."),
  /** Extra names of env keys or fields whose values must never be shown. */
  secrets: z.array(z.string()).default([]),
  alerts: AlertPolicyOverrides.optional(),
};

export const ProcessService = z.strictObject({
  kind: z.literal("process").describe("A local process Vigil starts, watches and restarts."),
  ...serviceCommon,
  command: commandLine,
  cwd: z.string().optional(),
  env: stringMap.default({}),
  node: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "use letters, digits, '_', '.', '-'")
    .optional()
    .describe(
      "Cluster mode: the instance (its VIGIL_NODE_NAME) that starts, stops and supervises this process; the others only watch it. Ignored by a single instance.",
    ),
  log: z
    .strictObject({ max_size: size.default(10 * 1024 ** 2), max_files: z.number().int().min(1).default(3) })
    .default({ max_size: 10 * 1024 ** 2, max_files: 3 }),
  resources: z
    .strictObject({
      cpus: z
        .number()
        .positive()
        .max(1024)
        .optional()
        .describe("CPU cap in cores, e.g. 0.5 (cgroup CFS quota; not enforced under the rlimit fallback)."),
      memory: size
        .optional()
        .describe(
          "Memory cap for the whole tree, e.g. 1GiB: the cgroup's memory limit (kernel OOM kill), else each process's data rlimit plus Vigil killing the tree past it.",
        ),
    })
    .default({})
    .describe(
      "Limits for the process tree: a cgroup per service (v2 where delegated, else v1), else the memory rlimit (the board says which).",
    ),
});

export const DockerService = z
  .strictObject({
    kind: z.literal("docker").describe("A Docker container Vigil runs (network host by default)."),
    ...serviceCommon,
    ...dockerFields,
  })
  .refine((s) => s.image !== undefined || s.build !== undefined, {
    message: "a docker service needs image or build",
    path: ["image"],
  })
  .refine((s) => Object.keys(s.networks).length === 0 || s.network === undefined, {
    message: "network (network_mode) and networks cannot both be set",
    path: ["networks"],
  })
  .transform(({ image, ...rest }) => ({ ...rest, image: image ?? builtImageName(rest.build) }));

export const ExternalService = z.strictObject({
  kind: z.literal("external").describe("Something running elsewhere that Vigil only probes."),
  ...serviceCommon,
  url: z.string().optional(),
});

/*
 * A job is not a long-running process: it runs on its schedule (or "Run now"), so it has no
 * restart policy; its status is its last run's outcome (jobs/job-host.ts).
 */

const JOB_TASKS = ["command", "image", "backup", "drill"] as const;

export const JobService = z
  .strictObject({
    kind: z.literal("job").describe("A command Vigil runs on a cron schedule (backups, reports, cleanups)."),
    ...serviceCommon,
    restart: RestartPolicy.prefault("no").refine((r) => r.policy === "no", {
      message: "a job has no restart policy: it runs on its schedule (use retries for failed runs)",
    }),
    command: commandLine
      .optional()
      .describe("What a run executes; with `image`, the container's command (default: the image's)."),
    image: z
      .string()
      .min(1)
      .optional()
      .describe("Run each time as a one-off container of this image (removed after the run)."),
    volumes: z
      .array(VolumeMount)
      .default([])
      .describe("Mounts of an `image` job: bind paths or volume names."),
    network: z.string().optional().describe("Network mode of an `image` job (default host)."),
    backup: backupTemplate.optional().describe("A backup template: postgres, redis or files."),
    drill: drill.optional().describe("A restore drill of a postgres backup job's newest copy."),
    cwd: z.string().optional(),
    env: stringMap.default({}),
    schedule: schedule.describe('Cron expression, 5 or 6 fields, e.g. "0 3 * * *"; read in `timezone`.'),
    timezone: timezone.optional().describe("IANA time zone the schedule is read in (default: the host's)."),
    timeout: duration
      .default(3_600_000)
      .describe("A run still going after this is killed (its process group)."),
    retries: z.number().int().min(0).max(10).default(0).describe("Extra attempts after a failed run."),
    concurrency: z
      .enum(["forbid", "replace", "allow"])
      .default("forbid")
      .describe("A trigger while a run is in flight: skip it, kill the old run, or run both."),
    catch_up: z
      .enum(["run-once", "skip"])
      .default("run-once")
      .describe("Runs missed while Vigil was down: run once at start, or skip them (reported)."),
  })
  .superRefine((job, ctx) => {
    const given = JOB_TASKS.filter((key) => job[key] !== undefined);
    // `image` with `command` is one task: the container's command.
    const tasks = given.filter((key) => !(key === "command" && job.image !== undefined));
    if (tasks.length !== 1)
      ctx.addIssue({
        code: "custom",
        path: [tasks[1] ?? "command"],
        message: `a job runs one of command, image, backup or drill (${tasks.length === 0 ? "none given" : `got ${tasks.join(" and ")}`})`,
      });
    if (job.image === undefined && (job.volumes.length > 0 || job.network !== undefined))
      ctx.addIssue({ code: "custom", path: ["image"], message: "volumes and network need image" });
  });

export const ServiceSchema = z.discriminatedUnion("kind", [
  ProcessService,
  DockerService,
  ExternalService,
  JobService,
]);

export const CheckDefaults = z
  .strictObject({
    interval: duration.default(10_000),
    timeout: duration.default(5_000),
    retries: z.number().int().min(0).max(10).default(0),
    start_period: duration.default(0),
    success_threshold: z.number().int().min(1).default(1),
    failure_threshold: z.number().int().min(1).default(3),
  })
  .default({
    interval: 10_000,
    timeout: 5_000,
    retries: 0,
    start_period: 0,
    success_threshold: 1,
    failure_threshold: 3,
  });

export const ConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  project: z.string().default("vigil"),
  defaults: z.strictObject({ check: CheckDefaults }).default({ check: CheckDefaults.parse(undefined) }),
  settings: z
    .strictObject({
      /** Raw probe results are kept this long. */
      retention_raw: duration.default(7 * 86_400_000),
      /** Minute and hour rollups are kept this long. */
      retention_rollups: duration.default(400 * 86_400_000),
      /** At most this many probes run at once across all checks. */
      max_concurrent_probes: z.number().int().min(1).default(64),
      resource_interval: duration
        .default(5000)
        .describe(
          "Time between CPU/memory samples of running process and Docker services (5s); 0 turns sampling off. Read at start.",
        ),
    })
    .default({
      retention_raw: 7 * 86_400_000,
      retention_rollups: 400 * 86_400_000,
      max_concurrent_probes: 64,
      resource_interval: 5000,
    }),
  services: z
    .record(serviceName, ServiceSchema)
    .default({})
    .describe("The services, by name: how each runs, what it depends on, how it is checked."),
  alerting: AlertingSchema,
  /** Compose files whose services join this config (vigil.yaml's keys win for the same service). */
  compose: z.array(z.string().min(1)).default([]),
  /** Docker engines by name; a docker service's `host:` picks one (default: the local engine). */
  hosts: z.record(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/), DockerHost).default({}),
});

export type Config = z.output<typeof ConfigSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
export type ProcessServiceConfig = z.output<typeof ProcessService>;
export type DockerServiceConfig = z.output<typeof DockerService>;
export type ExternalServiceConfig = z.output<typeof ExternalService>;
export type JobServiceConfig = z.output<typeof JobService>;
export type ServiceKind = ServiceConfig["kind"];
export type CheckDefaultsSpec = z.output<typeof CheckDefaults>;
