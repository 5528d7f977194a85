import { describe, expect, it } from "vitest";
import { DockerService } from "../schema.ts";
import { composePorts } from "./ports.ts";

const ports = (value: unknown) => {
  const out = composePorts(value);
  if ("error" in out) throw new Error(out.error);
  return out.ports;
};

describe("compose ports", () => {
  it("keeps single ports as they are", () => {
    expect(ports(8080)).toEqual(["8080"]);
    expect(ports("8080:80")).toEqual(["8080:80"]);
    expect(ports("127.0.0.1:8080:80/udp")).toEqual(["127.0.0.1:8080:80/udp"]);
    expect(ports({ target: 80, published: 8080, host_ip: "127.0.0.1", protocol: "udp" })).toEqual([
      "127.0.0.1:8080:80/udp",
    ]);
  });

  it("expands a range port for port, in order, with its address and protocol", () => {
    expect(ports("8000-8002:8000-8002")).toEqual(["8000:8000", "8001:8001", "8002:8002"]);
    expect(ports("127.0.0.1:9000-9001:90-91/udp")).toEqual([
      "127.0.0.1:9000:90/udp",
      "127.0.0.1:9001:91/udp",
    ]);
    expect(ports("7000-7001")).toEqual(["7000", "7001"]);
    expect(ports({ target: "80-81", published: "8080-8081" })).toEqual(["8080:80/tcp", "8081:81/tcp"]);
  });

  it("gives every expanded entry in a form the docker service schema accepts", () => {
    const expanded = [
      ...ports("8000-8002:8000-8002"),
      ...ports("127.0.0.1:9000-9001:90-91/udp"),
      ...ports("7000-7001"),
      ...ports("127.0.0.1::80"),
    ];
    const parsed = DockerService.safeParse({ kind: "docker", image: "vigil/busybox:1", ports: expanded });
    expect(parsed.success, parsed.error?.message).toBe(true);
  });

  it("refuses what Docker would bind differently or cannot bind, saying why", () => {
    expect(composePorts("8000-8010:80")).toEqual({
      error:
        '"8000-8010:80": the host range has 11 ports and the container range 1; Vigil publishes ranges port for port',
    });
    expect(composePorts("9-8:9-8")).toEqual({ error: '"9-8": the range ends before it starts' });
    expect(composePorts("70000:80")).toEqual({ error: '"70000": ports are 1-65535' });
    expect(composePorts("http:80")).toMatchObject({ error: expect.stringContaining("is not") });
    expect(composePorts({ published: 80 })).toEqual({ error: "a long-form port needs target:" });
  });
});
