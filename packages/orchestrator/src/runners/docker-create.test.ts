import { describe, expect, it } from "vitest";
import type { DockerServiceConfig } from "../config/schema.ts";
import { shellWords } from "../config/shell-words.ts";
import { service } from "../lifecycle/fixtures/helpers.ts";
import { configHashOf, createOptions } from "./docker-create.ts";

const docker = (input: Record<string, unknown>) =>
  service({ kind: "docker", image: "img:1", ...input }) as DockerServiceConfig;

describe("docker create request", () => {
  it("maps every compose-style field onto the engine's create request", () => {
    const options = createOptions(
      "shop",
      "api",
      docker({
        command: ["serve", "--port", "80"],
        entrypoint: "/entry.sh 'two words'",
        env: { A: "from-env" },
        ports: ["127.0.0.1:8080:80", "9090:90/udp"],
        volumes: ["data:/var/lib/data", "./conf:/etc/conf:ro", { type: "volume", target: "/cache" }],
        networks: { backend: { aliases: ["api.internal"] }, frontend: null },
        user: "1000:1000",
        working_dir: "/srv",
        labels: { team: "core" },
        extra_hosts: ["db.local:10.0.0.2", "cache.local=10.0.0.3"],
        cap_add: ["NET_ADMIN"],
        cap_drop: ["ALL"],
        devices: ["/dev/fuse"],
        ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 },
        tmpfs: ["/run:size=64k"],
        stop_signal: "SIGINT",
        stop_grace: "15s",
        restart: "on-failure:4",
        resources: { cpus: 1.5, memory: "256m", pids: 100, reservations: { memory: "64m" } },
        healthcheck: {
          test: ["CMD", "true"],
          interval: "2s",
          timeout: "1s",
          retries: 4,
          start_period: "3s",
          start_interval: "100ms",
        },
      }),
      { A: "from-file", B: "file-only" },
    );
    expect(options).toMatchObject({
      name: "vigil-shop-api",
      Image: "img:1",
      Cmd: ["serve", "--port", "80"],
      Entrypoint: ["/entry.sh", "two words"],
      User: "1000:1000",
      WorkingDir: "/srv",
      StopSignal: "SIGINT",
      StopTimeout: 15,
      Labels: { team: "core", "vigil.project": "shop", "vigil.service": "api", "vigil.revision": "img:1" },
      ExposedPorts: { "80/tcp": {}, "90/udp": {} },
      Healthcheck: {
        Test: ["CMD", "true"],
        Interval: 2e9,
        Timeout: 1e9,
        Retries: 4,
        StartPeriod: 3e9,
        StartInterval: 1e8,
      },
      NetworkingConfig: { EndpointsConfig: { shop_backend: { Aliases: ["api", "api.internal"] } } },
      HostConfig: {
        NetworkMode: "shop_backend",
        PortBindings: {
          "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }],
          "90/udp": [{ HostPort: "9090" }],
        },
        RestartPolicy: { Name: "on-failure", MaximumRetryCount: 4 },
        Mounts: [
          { Type: "volume", Source: "shop_data", Target: "/var/lib/data", ReadOnly: false },
          { Type: "bind", Source: "./conf", Target: "/etc/conf", ReadOnly: true },
          { Type: "volume", Source: "", Target: "/cache", ReadOnly: false },
        ],
        NanoCpus: 1.5e9,
        Memory: 256 * 1024 ** 2,
        PidsLimit: 100,
        MemoryReservation: 64 * 1024 ** 2,
        ExtraHosts: ["db.local:10.0.0.2", "cache.local:10.0.0.3"],
        CapAdd: ["NET_ADMIN"],
        CapDrop: ["ALL"],
        Devices: [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }],
        Ulimits: [
          { Name: "nofile", Soft: 1024, Hard: 2048 },
          { Name: "nproc", Soft: 512, Hard: 512 },
        ],
        Tmpfs: { "/run": "size=64k" },
      },
    });
    expect(options.Env).toEqual(["A=from-env", "B=file-only"]);
  });

  it("defaults to host networking without publishing, and a string command runs in sh -c", () => {
    const options = createOptions("p", "w", docker({ command: "echo hi", ports: ["8080:80"] }));
    expect(options.Cmd).toEqual(["sh", "-c", "echo hi"]);
    expect(options.HostConfig).toMatchObject({
      NetworkMode: "host",
      PortBindings: {},
      RestartPolicy: { Name: "no" },
    });
    expect(options.ExposedPorts).toEqual({});
  });

  it("turns a disabled healthcheck into NONE and a string test into CMD-SHELL", () => {
    expect(createOptions("p", "w", docker({ healthcheck: { disable: true } })).Healthcheck).toEqual({
      Test: ["NONE"],
    });
    expect(createOptions("p", "w", docker({ healthcheck: { test: "curl -f x" } })).Healthcheck).toEqual({
      Test: ["CMD-SHELL", "curl -f x"],
    });
  });

  it("labels the request with a digest that changes with the config and only with it", () => {
    const a = createOptions("p", "w", docker({ env: { X: "1" } }));
    const b = createOptions("p", "w", docker({ env: { X: "1" } }));
    const c = createOptions("p", "w", docker({ env: { X: "2" } }));
    expect(a.Labels?.["vigil.config-hash"]).toBe(b.Labels?.["vigil.config-hash"]);
    expect(a.Labels?.["vigil.config-hash"]).not.toBe(c.Labels?.["vigil.config-hash"]);
    expect(configHashOf(a)).toBe(a.Labels?.["vigil.config-hash"]);
  });

  it("splits an entrypoint string like a shell would, quotes kept together", () => {
    expect(shellWords(`a "b c" 'd e' f\\ g`)).toEqual(["a", "b c", "d e", "f\\", "g"]);
  });

  it("rejects a service with neither image nor build, and network beside networks", () => {
    expect(() => service({ kind: "docker" })).toThrow(/needs image or build/);
    expect(() => docker({ network: "host", networks: ["a"] })).toThrow(/cannot both be set/);
  });

  it("names the image of a build without image after its build spec", () => {
    const built = service({ kind: "docker", build: "./app" }) as DockerServiceConfig;
    const other = service({
      kind: "docker",
      build: { context: "./app", args: { V: "2" } },
    }) as DockerServiceConfig;
    expect(built.image).toMatch(/^vigil-build\/[0-9a-f]{12}:latest$/);
    expect(other.image).not.toBe(built.image);
  });

  it("uses a volume's and a network's own Docker name when compose named them (name:, external)", () => {
    const options = createOptions(
      "shop",
      "api",
      docker({
        volumes: ["data:/data", "cache:/cache"],
        named_volumes: { data: { name: "pgdata", external: true } },
        networks: { shared: null, backend: null },
        named_networks: { shared: { name: "infra_net", external: true } },
      }),
    );
    expect(options.HostConfig?.Mounts?.map((m) => m.Source)).toEqual(["pgdata", "shop_cache"]);
    expect(options.HostConfig?.NetworkMode).toBe("infra_net");
    expect(Object.keys(options.NetworkingConfig?.EndpointsConfig ?? {})).toEqual(["infra_net"]);
  });
});
