import { describe, expect, it } from "vitest";
import { parsePing } from "./icmp/parse.ts";
import { IcmpCheck, mapPing } from "./icmp.ts";
import { runCheck } from "./run.ts";

const IPUTILS = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.097 ms

--- 127.0.0.1 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 407ms
rtt min/avg/max/mdev = 0.033/0.055/0.097/0.029 ms
`;
const BUSYBOX = `--- 10.0.0.1 ping statistics ---
4 packets transmitted, 4 packets received, 0% packet loss
round-trip min/avg/max = 0.1/0.25/0.4 ms
`;
const NONE =
  "--- 10.255.255.1 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n";

describe("icmp parsing and mapping", () => {
  it("reads iputils and busybox summaries", () => {
    expect(parsePing(IPUTILS)).toEqual({
      sent: 3,
      received: 2,
      lossPct: 33.3,
      rttMinMs: 0.033,
      rttMs: 0.055,
      rttMaxMs: 0.097,
    });
    expect(parsePing(BUSYBOX)).toMatchObject({ sent: 4, received: 4, lossPct: 0, rttMs: 0.25 });
    expect(parsePing(NONE)).toEqual({ sent: 1, received: 0, lossPct: 100 });
    expect(parsePing("ping: unknown host")).toBeUndefined();
  });

  it("maps loss to a status: none healthy, some degraded, all unhealthy", () => {
    expect(mapPing("h", { sent: 3, received: 3, lossPct: 0, rttMs: 1 })).toMatchObject({
      status: "healthy",
      message: "h: 3/3 replies, 0% loss, rtt 1 ms",
      values: { loss_pct: 0, rtt_ms: 1 },
    });
    expect(mapPing("h", { sent: 3, received: 2, lossPct: 33.3, rttMs: 1 }).status).toBe("degraded");
    expect(mapPing("h", { sent: 3, received: 0, lossPct: 100 })).toMatchObject({
      status: "unhealthy",
      message: "h: no reply (0/3 replies)",
      values: { loss_pct: 100 },
    });
  });

  it("refuses a host that could be read as a ping option", () => {
    expect(IcmpCheck.safeParse({ kind: "icmp", host: "-f" }).success).toBe(false);
    expect(IcmpCheck.safeParse({ kind: "icmp", host: "a b" }).success).toBe(false);
    expect(IcmpCheck.parse({ kind: "icmp", host: "::1" })).toMatchObject({ count: 3 });
  });
});

describe("icmp probe with the system ping", () => {
  it("pings 127.0.0.1 and reports loss and round trip", async () => {
    const result = await runCheck(IcmpCheck.parse({ kind: "icmp", host: "127.0.0.1", count: 2 }), {
      timeoutMs: 5000,
    });
    expect(result.status).toBe("healthy");
    expect(result.message).toMatch(/^127\.0\.0\.1: 2\/2 replies, 0% loss, rtt [\d.]+ ms$/);
    expect(result.values?.loss_pct).toBe(0);
    expect(result.values?.rtt_ms).toBeGreaterThanOrEqual(0);
  });

  it("is degraded when a value misses its condition", async () => {
    const spec = IcmpCheck.parse({ kind: "icmp", host: "127.0.0.1", count: 1, expect: { rtt_ms: "< 0" } });
    const result = await runCheck(spec, { timeoutMs: 5000 });
    expect(result.status).toBe("degraded");
    expect(result.message).toMatch(/^rtt_ms [\d.]+ is not < 0 \(/);
  });

  it("is unhealthy when nothing answers (the RFC 6666 discard prefix) or the name does not resolve", async () => {
    const silent = await runCheck(IcmpCheck.parse({ kind: "icmp", host: "100::1", count: 1 }), {
      timeoutMs: 2000,
    });
    expect(silent.status).toBe("unhealthy");
    expect(silent.message).toMatch(/^100::1: (no reply|.*unreachable)/i);
    const unknown = await runCheck(IcmpCheck.parse({ kind: "icmp", host: "vigil-test.invalid" }), {
      timeoutMs: 10_000,
    });
    expect(unknown.status).toBe("unhealthy");
    expect(unknown.message).toMatch(/^vigil-test\.invalid: .*(not known|resolution|resolve)/i);
  });

  it("stops a ping that outlasts the timeout, without holding up another check", async () => {
    const [slow, fine] = await Promise.all([
      // 20 echoes 0.2 s apart take ~4 s: far past the 300 ms timeout, on any network.
      runCheck(IcmpCheck.parse({ kind: "icmp", host: "127.0.0.1", count: 20 }), { timeoutMs: 300 }),
      runCheck(IcmpCheck.parse({ kind: "icmp", host: "127.0.0.1", count: 1 }), { timeoutMs: 5000 }),
    ]);
    expect(slow).toMatchObject({ status: "unhealthy", message: "timed out after 300ms" });
    expect(fine.status).toBe("healthy");
  });

  it("says how to install ping when the machine has none", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent-vigil-test";
    try {
      const result = await runCheck(IcmpCheck.parse({ kind: "icmp", host: "127.0.0.1" }), {
        timeoutMs: 5000,
      });
      expect(result).toMatchObject({
        status: "unhealthy",
        message: "ping is not installed on this machine (Debian: apt-get install iputils-ping)",
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
