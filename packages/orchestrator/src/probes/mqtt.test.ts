import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { startMosquitto, type TestBroker } from "../testing/mosquitto.ts";
import { startMuteServer } from "../testing/mute-server.ts";
import { selfSigned } from "../testing/self-signed.ts";
import { MqttCheck } from "./mqtt.ts";
import { runCheck } from "./run.ts";

const topic = `vigil/test/${randomBytes(4).toString("hex")}`;

describe("mqtt check parsing", () => {
  it("defaults to the local broker and refuses wildcard topics and conditions without a topic", () => {
    expect(MqttCheck.parse({ kind: "mqtt" })).toMatchObject({ url: "mqtt://127.0.0.1:1883", qos: 0 });
    expect(MqttCheck.safeParse({ kind: "mqtt", topic: "a/#" }).error?.issues[0]?.message).toBe(
      "use a plain topic (no + or # wildcards)",
    );
    expect(MqttCheck.safeParse({ kind: "mqtt", url: "http://x" }).success).toBe(false);
    const noTopic = MqttCheck.safeParse({ kind: "mqtt", expect: { round_trip_ms: "< 100" } });
    expect(noTopic.error?.issues[0]).toMatchObject({ path: ["expect"] });
  });
});

describe("mqtt probe on the machine's Mosquitto (1883, anonymous)", () => {
  it("connects, and times a publish → subscribe round trip", async () => {
    const plain = await runCheck(MqttCheck.parse({ kind: "mqtt" }), { timeoutMs: 10_000 });
    expect(plain).toMatchObject({ status: "healthy", message: "mqtt://127.0.0.1:1883: connected" });
    const trip = await runCheck(MqttCheck.parse({ kind: "mqtt", topic, qos: 1 }), { timeoutMs: 10_000 });
    expect(trip.status).toBe("healthy");
    expect(trip.message).toMatch(new RegExp(`round trip on "${topic}" in [\\d.]+ ms$`));
    expect(trip.values?.round_trip_ms).toBeGreaterThanOrEqual(0);
  });

  it("is degraded when the round trip misses its condition", async () => {
    const slow = await runCheck(MqttCheck.parse({ kind: "mqtt", topic, expect: { round_trip_ms: "< 0" } }), {
      timeoutMs: 10_000,
    });
    expect(slow.status).toBe("degraded");
    expect(slow.message).toMatch(/^round_trip_ms [\d.]+ is not < 0 \(/);
  });

  it("is unhealthy when the broker is down", async () => {
    const port = await closedPort();
    const down = await runCheck(MqttCheck.parse({ kind: "mqtt", url: `mqtt://127.0.0.1:${port}` }), {
      timeoutMs: 10_000,
    });
    expect(down.status).toBe("unhealthy");
    expect(down.message).toContain("ECONNREFUSED");
  });

  it("gives up on a broker that accepts and never answers, without holding up another check", async () => {
    const mute = await startMuteServer();
    try {
      const [hung, fine] = await Promise.all([
        runCheck(MqttCheck.parse({ kind: "mqtt", url: `mqtt://127.0.0.1:${mute.port}` }), { timeoutMs: 400 }),
        runCheck(MqttCheck.parse({ kind: "mqtt", topic }), { timeoutMs: 10_000 }),
      ]);
      expect(hung).toMatchObject({ status: "unhealthy", message: "timed out after 400ms" });
      expect(fine.status).toBe("healthy");
    } finally {
      await mute.close();
    }
  });
});

describe("mqtt probe on a Mosquitto with passwords and TLS, started by the test", () => {
  const password = `pw-${randomBytes(8).toString("hex")}`;
  let plain: TestBroker;
  let tls: TestBroker;
  let restricted: TestBroker;
  let dir: string;
  let caFile: string;
  beforeAll(async () => {
    const cert = await selfSigned();
    dir = await mkdtemp(join(tmpdir(), "vigil-mqtt-test-"));
    caFile = join(dir, "ca.pem");
    await writeFile(caFile, cert.cert);
    plain = await startMosquitto({ users: { probe: password } });
    tls = await startMosquitto({ users: { probe: password }, tls: cert });
    restricted = await startMosquitto({
      users: { probe: password },
      acl: "user probe\ntopic readwrite allowed/#\n",
    });
  });
  afterAll(async () => {
    await plain?.close();
    await tls?.close();
    await restricted?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("connects with the right password and is refused with a wrong one, never showing either", async () => {
    const url = `mqtt://127.0.0.1:${plain.port}`;
    const ok = await runCheck(MqttCheck.parse({ kind: "mqtt", url, username: "probe", password, topic }), {
      timeoutMs: 10_000,
    });
    expect(ok.status).toBe("healthy");
    const wrong = `not-${password}`;
    const bad = await runCheck(MqttCheck.parse({ kind: "mqtt", url, username: "probe", password: wrong }), {
      timeoutMs: 10_000,
    });
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toMatch(/Not authorized|Bad username or password/);
    expect(JSON.stringify(bad)).not.toContain(password);
    const inUrl = await runCheck(
      MqttCheck.parse({ kind: "mqtt", url: `mqtt://probe:${wrong}@127.0.0.1:${plain.port}` }),
      { timeoutMs: 10_000 },
    );
    expect(inUrl.status).toBe("unhealthy");
    expect(JSON.stringify(inUrl)).not.toContain(password);
  });

  it("verifies the broker's certificate against the given CA", async () => {
    const url = `mqtts://127.0.0.1:${tls.port}`;
    const auth = { username: "probe", password };
    const trusted = await runCheck(
      MqttCheck.parse({ kind: "mqtt", url, ...auth, tls: { ca: caFile }, topic }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(trusted.status).toBe("healthy");
    const untrusted = await runCheck(MqttCheck.parse({ kind: "mqtt", url, ...auth }), { timeoutMs: 10_000 });
    expect(untrusted.status).toBe("unhealthy");
    expect(untrusted.message).toContain("self-signed certificate");
    const insecure = await runCheck(
      MqttCheck.parse({ kind: "mqtt", url, ...auth, tls: { insecure: true } }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(insecure.status).toBe("healthy");
  });

  it("is unhealthy, before its timeout, when the broker never delivers (read ACL)", async () => {
    const url = `mqtt://127.0.0.1:${restricted.port}`;
    const auth = { username: "probe", password };
    const allowed = await runCheck(MqttCheck.parse({ kind: "mqtt", url, ...auth, topic: "allowed/probe" }), {
      timeoutMs: 10_000,
    });
    expect(allowed.status).toBe("healthy");
    const denied = await runCheck(MqttCheck.parse({ kind: "mqtt", url, ...auth, topic: "secret/probe" }), {
      timeoutMs: 1500,
    });
    // Mosquitto grants the subscription and drops the message at delivery: the probe says what it saw.
    expect(denied.status).toBe("unhealthy");
    expect(denied.message).toMatch(
      new RegExp(
        `^${url}: published on "secret/probe", nothing came back within \\d+ ms \\(a read ACL\\?\\)$`,
      ),
    );
  });
});
