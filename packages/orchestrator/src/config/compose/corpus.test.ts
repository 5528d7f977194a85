import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../graph/graph.ts";
import { loadConfig } from "../load.ts";
import type { DockerServiceConfig } from "../schema.ts";

/** Compose files shaped like real stacks, loaded as `vigil --config <file>` would, graph and waves asserted. */

const corpus = join(dirname(fileURLToPath(import.meta.url)), "corpus");
const load = async (
  file: string,
  extra: { env?: string; environ?: Record<string, string>; profiles?: string[] } = {},
) => {
  const loaded = await loadConfig({
    path: join(corpus, file),
    cwd: corpus,
    environ: extra.environ ?? {},
    ...extra,
  });
  return { ...loaded, warnings: loaded.warnings ?? [] };
};
const docker = (config: { services: Record<string, unknown> }, name: string) =>
  config.services[name] as DockerServiceConfig;

describe("compose corpus", () => {
  it("ai-agents: service_healthy chains, build, volumes, deploy limits and restart policy", async () => {
    const { config, warnings } = await load("ai-agents/compose.yaml");
    expect(config.project).toBe("agents");
    expect(buildGraph(config.services).waves()).toEqual([
      ["postgres", "redis"],
      ["api"],
      ["worker"],
      ["planner"],
      ["executor"],
    ]);
    expect(buildGraph(config.services).dependencies("api")).toEqual([
      { name: "postgres", condition: "healthy" },
      { name: "redis", condition: "healthy" },
    ]);
    const api = docker(config, "api");
    expect(api).toMatchObject({
      image: "agents-api",
      container_name: "agents-api-1",
      build: { context: join(corpus, "ai-agents/api"), args: { VERSION: "1.2.0" } },
      env: { REDIS_URL: "redis://redis:6379", DATABASE_URL: "postgres://postgres:devpass@postgres/agents" },
      networks: { default: { aliases: [] } },
      resources: { cpus: 1.5, memory: 512 * 1024 ** 2, reservations: { memory: 128 * 1024 ** 2 } },
      restart: { policy: "on-failure", max_retries: 5, backoff: { initial: 2000 } },
      healthcheck: {
        test: "wget -q -O- http://127.0.0.1:8080/health || exit 1",
        interval: 2000,
        start_period: 10_000,
      },
      checks: [{ kind: "docker", use_healthcheck: true }],
      labels: { "com.docker.compose.project": "agents", "com.docker.compose.service": "api" },
    });
    expect(docker(config, "postgres").volumes).toEqual([
      { type: "volume", source: "pgdata", target: "/var/lib/postgresql/data", read_only: false },
    ]);
    expect(docker(config, "redis").command).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(docker(config, "executor").command).toEqual(["agent", "--role", "executor one"]);
    expect(docker(config, "postgres").restart.policy).toBe("unless-stopped");
    expect(warnings).toEqual([]);
  });

  it("profiles: only the unprofiled services by default; --profile and COMPOSE_PROFILES enable more", async () => {
    expect(Object.keys((await load("profiles/compose.yaml")).config.services).sort()).toEqual(["app", "db"]);
    const dev = await load("profiles/compose.yaml", { profiles: ["dev"] });
    expect(buildGraph(dev.config.services).waves()).toEqual([
      ["db", "mailpit"],
      ["adminer", "app"],
    ]);
    const bench = await load("profiles/compose.yaml", { environ: { COMPOSE_PROFILES: "bench" } });
    // mailpit is off and loadtest's dependency on it is `required: false`: dropped, not an error.
    expect(buildGraph(bench.config.services).waves()).toEqual([["db"], ["app"], ["loadtest"]]);
  });

  it("extends in the same file: the base's keys under the service's own, maps merged", async () => {
    const { config } = await load("extends-same/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["base", "web"], ["jobs"]]);
    expect(docker(config, "web")).toMatchObject({
      image: "stack/base:1",
      // A YAML merge key is shallow: the own `environment` replaces the merged one (LOG_LEVEL).
      env: { TZ: "UTC", ROLE: "web" },
      labels: { team: "core" },
      cap_drop: ["ALL"],
      command: ["serve", "--port", "80"],
      restart: { policy: "always" },
    });
    expect(docker(config, "jobs").command).toEqual(["jobs"]);
  });

  it("extends from another file", async () => {
    const { config } = await load("extends-other/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["cache"], ["api"], ["cron"]]);
    expect(docker(config, "cron")).toMatchObject({
      image: "node:22",
      working_dir: "/srv",
      user: "1000:1000",
      env: { NODE_ENV: "production" },
      command: ["node", "cron.js"],
    });
  });

  it("env files and interpolation: .env, defaults, required, $$", async () => {
    const { config } = await load("env-files/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["db"], ["app"]]);
    expect(docker(config, "db")).toMatchObject({
      image: "postgres:16",
      env: { POSTGRES_PASSWORD: "s3cret" },
    });
    expect(docker(config, "app")).toMatchObject({
      image: "registry.local/app:3.1",
      env: { PRICE: "$5", GREETING: "hello" },
      env_file: [join(corpus, "env-files/app.env")],
    });
    const empty = await load("env-files/compose.yaml", { environ: { GREETING: "" } });
    expect(docker(empty.config, "app").env.GREETING).toBe("");
  });

  it("multiple files merge in order (-f a -f b rules)", async () => {
    const { config } = await load("multi-file/compose.yaml", { env: "prod" });
    expect(buildGraph(config.services).waves()).toEqual([["db"], ["web"], ["proxy"]]);
    expect(docker(config, "web")).toMatchObject({
      image: "web:2",
      command: ["serve", "--prod"],
      ports: ["80:80", "443:443"],
      volumes: [
        { type: "volume", source: "cache", target: "/cache" },
        { type: "bind", source: "/srv/static", target: "/static" },
      ],
    });
    expect(docker(config, "db").env).toEqual({ POSTGRES_DB: "app", POSTGRES_PASSWORD: "prod" });
  });

  it("include brings another file's services", async () => {
    const { config } = await load("include/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["db"], ["app"]]);
    expect(docker(config, "db").checks).toEqual([expect.objectContaining({ kind: "docker" })]);
  });

  it("wordpress: healthy-gated app over a database, named volumes", async () => {
    const { config } = await load("wordpress/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["db"], ["wordpress"]]);
    expect(docker(config, "db").command).toEqual(["--default-authentication-plugin=mysql_native_password"]);
    expect(docker(config, "wordpress").volumes[0]).toMatchObject({ type: "volume", source: "wp_data" });
  });

  it("monitoring: network_mode host, limits, healthcheck disabled, pid reported as unsupported", async () => {
    const { config, warnings } = await load("monitoring/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["node-exporter"], ["prometheus"], ["grafana"]]);
    expect(docker(config, "prometheus")).toMatchObject({
      network: "host",
      networks: {},
      resources: { cpus: 0.5, memory: 1024 ** 3 },
    });
    expect(docker(config, "grafana")).toMatchObject({ healthcheck: { disable: true }, checks: [] });
    expect(warnings.map((w) => `${w.file}:${w.line}:${w.col} ${w.path}`)).toEqual([
      "monitoring/compose.yaml:5:5 services.node-exporter.pid",
    ]);
  });

  it("queue: service_completed_successfully gates on the job, restart:true kept, restart_policy any → always", async () => {
    const { config, warnings } = await load("queue/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([
      ["rabbitmq"],
      ["migrate"],
      ["consumer", "producer"],
    ]);
    expect(docker(config, "consumer").restart).toMatchObject({ policy: "always", reset_after: 30_000 });
    expect(buildGraph(config.services).dependencies("producer")).toEqual([
      { name: "migrate", condition: "completed" },
      { name: "rabbitmq", condition: "healthy", restart: true },
    ]);
    expect(warnings).toEqual([]);
  });

  it("x-vigil extras apply; unsupported keys are warnings with file:line:col", async () => {
    const { config, warnings } = await load("x-vigil/compose.yaml");
    expect(buildGraph(config.services).waves()).toEqual([["cache"], ["api"]]);
    expect(config.services.cache).toMatchObject({
      group: "data",
      critical: true,
      restart: { policy: "on-failure", max_retries: 3 },
      checks: [{ kind: "redis" }],
    });
    expect(config.services.api).toMatchObject({
      group: "edge",
      rollback: "auto",
      secret_mounts: [
        { name: "api_key", target: "/run/secrets/api_key", file: expect.stringMatching(/api_key\.txt$/) },
      ],
    });
    expect(warnings.map((w) => `${w.file}:${w.line}:${w.col} ${w.path}: ${w.message}`)).toEqual([
      'x-vigil/compose.yaml:7:5 services.cache.privileged: "privileged" has no Vigil equivalent; ignored',
      'x-vigil/compose.yaml:16:5 services.api.logging: "logging" has no Vigil equivalent; ignored',
    ]);
  });

  it("the stacks that run on the local engine (run.test.ts) load with their graphs", async () => {
    const environ = { DB_PORT: "1", API_PORT: "2", WEB_PORT: "3" };
    const chain = await load("run-chain/compose.yaml", { environ });
    expect(buildGraph(chain.config.services).waves()).toEqual([["db"], ["api"], ["worker"]]);
    expect(docker(chain.config, "db")).toMatchObject({
      network: "host",
      restart: { policy: "on-failure", max_retries: 3 },
      command: ["sh", "-c", "mkdir -p /www && echo db > /www/index.html && exec httpd -f -p 1 -h /www"],
    });
    const build = await load("run-build/compose.yaml", { environ });
    expect(buildGraph(build.config.services).waves()).toEqual([["web"], ["probe"]]);
    expect(docker(build.config, "web").image).toBe("run-build-web");
    const volume = await load("run-volume/compose.yaml");
    expect(docker(volume.config, "store").image).toBe("vigil/busybox:1");
  });
});
