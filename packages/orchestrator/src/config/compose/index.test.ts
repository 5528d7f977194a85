import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCompose } from "./index.ts";

function composeFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "vigil-compose-")), "compose.yaml");
  writeFileSync(file, text);
  return file;
}

describe("loadCompose", () => {
  it("warns when service_healthy waits on a service without any health signal", () => {
    const file = composeFile(
      "services:\n  db:\n    image: db\n  app:\n    image: app\n    depends_on:\n      db:\n        condition: service_healthy\n",
    );
    const { warnings } = loadCompose([file], { environ: {}, display: () => "compose.yaml" });
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 8,
        col: 9,
        path: "services.app.depends_on.db.condition",
        message:
          '"db" has no healthcheck: Vigil counts it healthy once started (docker compose would refuse to start)',
      }),
    ]);
  });

  it("expands port ranges port for port and warns at line:col about a range it cannot pair (issue 15)", () => {
    const file = composeFile(
      'services:\n  app:\n    image: app\n    ports:\n      - "8000-8002:8000-8002"\n      - "9000-9010:90"\n',
    );
    const { services, warnings } = loadCompose([file], { environ: {}, display: () => "compose.yaml" });
    expect(services.app?.ports).toEqual(["8000:8000", "8001:8001", "8002:8002"]);
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 4,
        col: 5,
        path: "services.app.ports[1]",
        message: expect.stringContaining(
          '"9000-9010:90": the host range has 11 ports and the container range 1',
        ),
      }),
    ]);
  });

  it("gives services the Docker names, drivers, options and labels of top-level volumes and networks; an external one's driver is warned at line:col (issue 15)", () => {
    const file = composeFile(
      [
        "services:",
        "  db:",
        "    image: db",
        "    volumes: [data:/data, logs:/logs, cache:/cache]",
        "    networks: [shared]",
        "volumes:",
        "  data: { external: true }",
        "  logs: { name: shop-logs }",
        "  cache: { external: { name: old-style-cache }, driver: nfs }",
        "  pg: { driver: local, driver_opts: { type: tmpfs, device: tmpfs, o: size=16m }, labels: [team=db] }",
        "networks:",
        "  shared: { external: true, name: infra_net }",
        "  back: { driver: bridge, driver_opts: { com.docker.network.driver.mtu: 1400 }, labels: { tier: back } }",
        "",
      ].join("\n"),
    );
    const { services, warnings } = loadCompose([file], { environ: {}, display: () => "compose.yaml" });
    expect(services.db?.named_volumes).toEqual({
      data: { name: "data", external: true },
      logs: { name: "shop-logs", external: false },
      cache: { name: "old-style-cache", external: true },
      pg: {
        external: false,
        driver: "local",
        driver_opts: { type: "tmpfs", device: "tmpfs", o: "size=16m" },
        labels: { team: "db" },
      },
    });
    expect(services.db?.named_networks).toEqual({
      shared: { name: "infra_net", external: true },
      back: {
        external: false,
        driver: "bridge",
        driver_opts: { "com.docker.network.driver.mtu": 1400 },
        labels: { tier: "back" },
      },
    });
    expect(warnings).toEqual([
      {
        file: "compose.yaml",
        line: 9,
        col: 49,
        path: "volumes.cache.driver",
        message: "driver of an external volume is ignored: it exists as it is",
      },
    ]);
  });

  it("a dependency on a service that is not defined is an error at its line:col", () => {
    const file = composeFile("services:\n  app:\n    image: app\n    depends_on: [ghost]\n");
    expect(() => loadCompose([file], { environ: {}, display: () => "compose.yaml" })).toThrow(
      /compose\.yaml:\d+:\d+: services\.app\.depends_on\.ghost: depends on "ghost", which is not enabled/,
    );
  });

  it("names the project from name:, COMPOSE_PROJECT_NAME, then the directory, as compose does", () => {
    const named = composeFile("name: My_Shop\nservices: {}\n");
    expect(
      loadCompose([named], { environ: { COMPOSE_PROJECT_NAME: "env" }, display: (p) => p }).project,
    ).toBe("my_shop");
    const unnamed = composeFile("services: {}\n");
    expect(
      loadCompose([unnamed], { environ: { COMPOSE_PROJECT_NAME: "from-env" }, display: (p) => p }).project,
    ).toBe("from-env");
  });
});
