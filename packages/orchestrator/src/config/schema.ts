import { z } from "zod";
import { duration } from "./duration.ts";
import { size } from "./size.ts";

/*
 * The shape of vigil.yaml. Keys stay snake_case exactly as written in YAML so that every error
 * path printed to a user is the path they see in their file.
 */

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const commandLine = z.union([z.string().min(1), z.array(z.string()).min(1)]);

/** Policy fields every check may set; unset ones take `defaults.check` values. */
const checkPolicy = {
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]+$/, "use letters, digits, '_', '.', '-'")
    .optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  retries: z.number().int().min(0).max(10).optional(),
  start_period: duration.optional(),
  success_threshold: z.number().int().min(1).max(100).optional(),
  failure_threshold: z.number().int().min(1).max(100).optional(),
  circuit_breaker: z
    .strictObject({
      /** Consecutive failures that open the circuit. */
      failures: z.number().int().min(1).default(10),
      /** How long an open circuit waits before a half-open trial run. */
      cooldown: duration.default(60_000),
    })
    .optional(),
};

const statusExpectation = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^\d{3}(-\d{3})?$/, 'use a code like 200 or a range like "200-299"'),
]);

export const HttpCheck = z.strictObject({
  kind: z.literal("http"),
  ...checkPolicy,
  url: z.string().url(),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
  headers: stringMap.default({}),
  body: z.string().optional(),
  expect: z
    .strictObject({
      status: z.union([statusExpectation, z.array(statusExpectation).min(1)]).default("200-399"),
      body_contains: z.string().optional(),
      body_regex: z.string().optional(),
      /** JSON path conditions such as `$.status == "healthy"` or `$.checks.db.ok == true`. */
      json: z.array(z.string()).default([]),
    })
    .default({ status: "200-399", json: [] }),
  /** Slower than this is `degraded`, not healthy. */
  max_latency: duration.optional(),
  /** Read `status`, `checks.dependencies`, `checks.resources` from a standard health document. */
  health_document: z.boolean().default(true),
});

export const TcpCheck = z.strictObject({
  kind: z.literal("tcp"),
  ...checkPolicy,
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(1).max(65535),
});

export const CommandCheck = z.strictObject({
  kind: z.literal("command"),
  ...checkPolicy,
  command: commandLine,
  cwd: z.string().optional(),
  env: stringMap.default({}),
  expect_exit: z.union([z.number().int(), z.array(z.number().int())]).default(0),
  output_contains: z.string().optional(),
  output_regex: z.string().optional(),
  /** Run inside this docker service's container (`docker exec`) instead of on the host. */
  container: z.string().optional(),
});

export const DockerCheck = z.strictObject({
  kind: z.literal("docker"),
  ...checkPolicy,
  /** Container name or id; defaults to the owning service's container. */
  container: z.string().optional(),
  /** Require the container's own HEALTHCHECK to report healthy (when it has one). */
  use_healthcheck: z.boolean().default(true),
});

export const PostgresCheck = z.strictObject({
  kind: z.literal("postgres"),
  ...checkPolicy,
  url: z.string().min(1),
  query: z.string().default("select 1"),
});

export const RedisCheck = z.strictObject({
  kind: z.literal("redis"),
  ...checkPolicy,
  url: z.string().default("redis://127.0.0.1:6379"),
  /** When set, the key must exist. */
  key: z.string().optional(),
});

export const NatsCheck = z.strictObject({
  kind: z.literal("nats"),
  ...checkPolicy,
  servers: z.union([z.string(), z.array(z.string()).min(1)]).default("nats://127.0.0.1:4222"),
  /** Require JetStream to answer too. */
  jetstream: z.boolean().default(false),
});

export type HttpCheckSpec = z.infer<typeof HttpCheck>;
export type TcpCheckSpec = z.infer<typeof TcpCheck>;
export type CommandCheckSpec = z.infer<typeof CommandCheck>;
export type DockerCheckSpec = z.infer<typeof DockerCheck>;
export type PostgresCheckSpec = z.infer<typeof PostgresCheck>;
export type RedisCheckSpec = z.infer<typeof RedisCheck>;
export type NatsCheckSpec = z.infer<typeof NatsCheck>;

type PolicyFields = {
  name?: string | undefined;
  interval?: number | undefined;
  timeout?: number | undefined;
  retries?: number | undefined;
  start_period?: number | undefined;
  success_threshold?: number | undefined;
  failure_threshold?: number | undefined;
  circuit_breaker?: { failures: number; cooldown: number } | undefined;
};

export type CompositeCheckSpec = PolicyFields & {
  kind: "composite";
  mode: "all" | "any" | "quorum";
  quorum?: number | undefined;
  checks: CheckSpec[];
};

export type StagedCheckSpec = PolicyFields & {
  kind: "staged";
  stages: { name: string; timeout?: number | undefined; check: CheckSpec }[];
};

export type CheckSpec =
  | HttpCheckSpec
  | TcpCheckSpec
  | CommandCheckSpec
  | DockerCheckSpec
  | PostgresCheckSpec
  | RedisCheckSpec
  | NatsCheckSpec
  | CompositeCheckSpec
  | StagedCheckSpec;

export type CheckKind = CheckSpec["kind"];

// Recursive kinds refer back to CheckSchema lazily.
export const CompositeCheck: z.ZodType<CompositeCheckSpec, unknown> = z.lazy(() =>
  z
    .strictObject({
      kind: z.literal("composite"),
      ...checkPolicy,
      mode: z.enum(["all", "any", "quorum"]).default("all"),
      quorum: z.number().int().min(1).optional(),
      checks: z.array(CheckSchema).min(1),
    })
    .refine((c) => c.mode !== "quorum" || (c.quorum !== undefined && c.quorum <= c.checks.length), {
      message: "mode quorum needs quorum: N with N <= number of checks",
      path: ["quorum"],
    }),
);

export const StagedCheck: z.ZodType<StagedCheckSpec, unknown> = z.lazy(() =>
  z.strictObject({
    kind: z.literal("staged"),
    ...checkPolicy,
    stages: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          timeout: duration.optional(),
          check: CheckSchema,
        }),
      )
      .min(1),
  }),
);

export const CHECK_KINDS = [
  "http",
  "tcp",
  "command",
  "docker",
  "postgres",
  "redis",
  "nats",
  "composite",
  "staged",
] as const satisfies readonly CheckKind[];

export const CheckSchema: z.ZodType<CheckSpec, unknown> = z.lazy(() =>
  z.union([
    HttpCheck,
    TcpCheck,
    CommandCheck,
    DockerCheck,
    PostgresCheck,
    RedisCheck,
    NatsCheck,
    CompositeCheck,
    StagedCheck,
  ]),
);

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
  z.record(serviceName, z.strictObject({ condition: z.enum(["started", "healthy"]).default("healthy") })),
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
  checks: z.array(CheckSchema).default([]),
  /** Extra names of env keys or fields whose values must never be shown. */
  secrets: z.array(z.string()).default([]),
};

export const ProcessService = z.strictObject({
  kind: z.literal("process"),
  ...serviceCommon,
  command: commandLine,
  cwd: z.string().optional(),
  env: stringMap.default({}),
  log: z
    .strictObject({ max_size: size.default(10 * 1024 ** 2), max_files: z.number().int().min(1).default(3) })
    .default({ max_size: 10 * 1024 ** 2, max_files: 3 }),
});

export const DockerService = z.strictObject({
  kind: z.literal("docker"),
  ...serviceCommon,
  image: z.string().min(1),
  container_name: z.string().optional(),
  command: commandLine.optional(),
  env: stringMap.default({}),
  ports: z
    .array(z.string().regex(/^(\d+:)?\d+(\/(tcp|udp))?$/, 'use "host:container" like "8080:80"'))
    .default([]),
  network: z.string().default("host"),
  labels: z.record(z.string(), z.string()).default({}),
  resources: z
    .strictObject({
      cpus: z.number().positive().optional(),
      memory: size.optional(),
      reservations: z.strictObject({ memory: size.optional() }).optional(),
    })
    .default({}),
});

export const ExternalService = z.strictObject({
  kind: z.literal("external"),
  ...serviceCommon,
  url: z.string().optional(),
});

export const ServiceSchema = z.discriminatedUnion("kind", [ProcessService, DockerService, ExternalService]);

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
    })
    .default({
      retention_raw: 7 * 86_400_000,
      retention_rollups: 400 * 86_400_000,
      max_concurrent_probes: 64,
    }),
  services: z.record(serviceName, ServiceSchema).default({}),
});

export type Config = z.output<typeof ConfigSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
export type ProcessServiceConfig = z.output<typeof ProcessService>;
export type DockerServiceConfig = z.output<typeof DockerService>;
export type ExternalServiceConfig = z.output<typeof ExternalService>;
export type ServiceKind = ServiceConfig["kind"];
export type CheckDefaultsSpec = z.output<typeof CheckDefaults>;
