import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { createServer, type Server } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCa, type TestCa, type TestCert } from "../testing/certs.ts";
import { closedPort } from "../testing/http-server.ts";
import { HttpCheck } from "./http.ts";
import { runCheck } from "./run.ts";
import type { TlsFacts } from "./support/tls-handshake.ts";
import { describeDays, judgeTls, TlsCheck } from "./tls.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30);

function facts(over: Partial<TlsFacts> = {}): TlsFacts {
  return {
    protocol: "TLSv1.3",
    trusted: true,
    subject: "api.example",
    issuer: "Test CA",
    validFrom: new Date(NOW - 30 * DAY),
    validTo: new Date(NOW + 60 * DAY),
    fingerprint256: "AB:CD",
    ...over,
  };
}

describe("tls check parsing and result mapping", () => {
  const spec = TlsCheck.parse({ kind: "tls", host: "api.example" });

  it("fills defaults and rejects unknown protocol names", () => {
    expect(spec).toMatchObject({ port: 443, min_version: "TLSv1.2", warning_days: 14 });
    expect(TlsCheck.safeParse({ kind: "tls", host: "h", min_version: "SSLv3" }).success).toBe(false);
    expect(TlsCheck.safeParse({ kind: "tls" }).success).toBe(false);
  });

  it("is healthy with the days left as a value", () => {
    const result = judgeTls(facts(), spec, NOW, "api.example:443");
    expect(result.status).toBe("healthy");
    expect(result.values).toEqual({ days_remaining: 60 });
    expect(result.message).toBe("api.example:443: TLSv1.3, certificate valid for 60 days (until 2027-01-29)");
  });

  it("is degraded under the warning threshold, naming the days", () => {
    const result = judgeTls(facts({ validTo: new Date(NOW + 3 * DAY) }), spec, NOW, "h:443");
    expect(result).toMatchObject({ status: "degraded", values: { days_remaining: 3 } });
    expect(result.message).toBe("h:443: certificate expires in 3 days (2026-12-03)");
    const custom = TlsCheck.parse({ kind: "tls", host: "h", warning_days: 2 });
    expect(judgeTls(facts({ validTo: new Date(NOW + 3 * DAY) }), custom, NOW, "h").status).toBe("healthy");
  });

  it("is unhealthy when expired, untrusted, for another name, not yet valid or too old a protocol", () => {
    const expired = judgeTls(
      facts({ validTo: new Date(NOW - 2 * DAY), trusted: false, trustError: "CERT_HAS_EXPIRED" }),
      spec,
      NOW,
      "h",
    );
    expect(expired).toMatchObject({ status: "unhealthy", values: { days_remaining: -2 } });
    expect(expired.message).toContain("certificate expired 2 days ago");
    const untrusted = judgeTls(facts({ trusted: false, trustError: "SELF_SIGNED" }), spec, NOW, "h");
    expect(untrusted.message).toBe("h: certificate not trusted: SELF_SIGNED");
    const wrongHost = judgeTls(
      facts({ hostnameError: "Host: a. is not in the cert's altnames" }),
      spec,
      NOW,
      "h",
    );
    expect(wrongHost).toMatchObject({ status: "unhealthy" });
    const early = judgeTls(facts({ validFrom: new Date(NOW + DAY) }), spec, NOW, "h");
    expect(early.message).toContain("not valid before");
    const strict = TlsCheck.parse({ kind: "tls", host: "h", min_version: "TLSv1.3" });
    const old = judgeTls(facts({ protocol: "TLSv1.2" }), strict, NOW, "h");
    expect(old.message).toBe("h: negotiated TLSv1.2, below min_version TLSv1.3");
  });

  it("reads days as people do", () => {
    expect([describeDays(1), describeDays(2.99), describeDays(0.5), describeDays(1 / 24)]).toEqual([
      "1 day",
      "3 days",
      "12 hours",
      "1 hour",
    ]);
  });
});

/** A real TLS server on 127.0.0.1 whose certificate the test can swap. */
async function serve(cert: TestCert, maxVersion?: "TLSv1.2"): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert: cert.cert, key: cert.key, ...(maxVersion ? { maxVersion } : {}) });
  server.on("secureConnection", (socket) => socket.end());
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe("tls probe against a real TLS server (openssl-made certificates)", () => {
  let ca: TestCa;
  let valid: TestCert;
  let target: { server: Server; port: number };
  const check = (over: Record<string, unknown> = {}) =>
    TlsCheck.parse({ kind: "tls", host: "127.0.0.1", port: target.port, ca_file: ca.caFile, ...over });

  beforeAll(async () => {
    ca = await createTestCa();
    valid = await ca.issue(["localhost", "127.0.0.1"], { from: -1, to: 90 });
    target = await serve(valid);
  });
  afterAll(async () => {
    await new Promise((resolve) => target.server.close(resolve));
    await ca.close();
  });

  it("is healthy for a valid certificate and degraded once the served one expires in 3 days", async () => {
    const ok = await runCheck(check({ servername: "localhost" }), { timeoutMs: 5000 });
    expect(ok.status).toBe("healthy");
    expect(ok.values?.days_remaining).toBeGreaterThan(89);
    // A value condition in `expect` is checked by the shared values helper (failing is degraded).
    const strict = await runCheck(check({ servername: "localhost", expect: { days_remaining: ">= 100" } }), {
      timeoutMs: 5000,
    });
    expect(strict.status).toBe("degraded");
    expect(strict.message).toMatch(/^days_remaining (89\.\d+|90) is not >= 100 \(/);
    target.server.setSecureContext(await ca.issue(["localhost"], { from: -30, to: 3 }));
    const soon = await runCheck(check({ servername: "localhost" }), { timeoutMs: 5000 });
    expect(soon.status).toBe("degraded");
    expect(soon.message).toContain("certificate expires in 3 days");
    target.server.setSecureContext(valid);
  });

  it("is unhealthy for an expired, a self-signed and a wrong-host certificate", async () => {
    target.server.setSecureContext(await ca.issue(["localhost"], { from: -30, to: -2 }));
    const expired = await runCheck(check({ servername: "localhost" }), { timeoutMs: 5000 });
    expect(expired).toMatchObject({ status: "unhealthy" });
    expect(expired.message).toContain("certificate expired 2 days ago");
    expect(expired.values?.days_remaining).toBeLessThan(-1.9);

    target.server.setSecureContext(await ca.selfSigned(["localhost"], 30));
    const selfSigned = await runCheck(check({ servername: "localhost" }), { timeoutMs: 5000 });
    expect(selfSigned.message).toContain("certificate not trusted: DEPTH_ZERO_SELF_SIGNED_CERT");

    target.server.setSecureContext(valid);
    const wrongHost = await runCheck(check({ servername: "api.example" }), { timeoutMs: 5000 });
    expect(wrongHost.status).toBe("unhealthy");
    expect(wrongHost.message).toContain("api.example");
    expect(wrongHost.message).toContain("altnames");
    // Without the private CA the same valid chain is untrusted.
    const noCa = await runCheck(TlsCheck.parse({ kind: "tls", host: "127.0.0.1", port: target.port }), {
      timeoutMs: 5000,
    });
    expect(noCa.message).toContain("certificate not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("names the protocol when the server offers less than min_version", async () => {
    const old = await serve(valid, "TLSv1.2");
    try {
      const result = await runCheck(check({ port: old.port, min_version: "TLSv1.3" }), { timeoutMs: 5000 });
      expect(result).toMatchObject({ status: "unhealthy" });
      expect(result.message).toContain("negotiated TLSv1.2, below min_version TLSv1.3");
    } finally {
      await new Promise((resolve) => old.server.close(resolve));
    }
  });

  it("is unhealthy when the server is down, and a hung server is cut at the timeout without holding up another check", async () => {
    const down = await runCheck(check({ port: await closedPort() }), { timeoutMs: 5000 });
    expect(down.status).toBe("unhealthy");
    expect(down.message).toContain("ECONNREFUSED");

    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      // A hung endpoint never holds up another check of the same kind running beside it.
      const order: string[] = [];
      const [hung, ok] = await Promise.all([
        runCheck(check({ port }), { timeoutMs: 1500 }).finally(() => order.push("hung")),
        runCheck(check({ servername: "localhost" }), { timeoutMs: 5000 }).finally(() => order.push("ok")),
      ]);
      expect(hung).toMatchObject({ status: "unhealthy", message: "timed out after 1500ms" });
      expect(ok.status).toBe("healthy");
      expect(order).toEqual(["ok", "hung"]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("reports days_remaining on https http checks too", async () => {
    const result = await runCheck(
      HttpCheck.parse({ kind: "http", url: `https://127.0.0.1:${target.port}/` }),
      { timeoutMs: 5000 },
    );
    // fetch trusts only the system roots, so the private chain fails the request itself; the
    // expiry value is read by the probe's own handshake all the same.
    expect(result.status).toBe("unhealthy");
    expect(result.values?.days_remaining).toBeGreaterThan(89);
    expect(
      HttpCheck.safeParse({ kind: "http", url: "https://x/", expect: { days_remaining: "> 7" } }).success,
    ).toBe(true);
  });

  it("reads days_remaining of an https URL written with an upper-case scheme, and none for http", async () => {
    const upper = await runCheck(
      HttpCheck.parse({ kind: "http", url: `HTTPS://127.0.0.1:${target.port}/` }),
      { timeoutMs: 5000 },
    );
    expect(upper.values?.days_remaining).toBeGreaterThan(89);
    // The same port over plain http: no handshake, so no value (the request itself fails).
    const plain = await runCheck(HttpCheck.parse({ kind: "http", url: `http://127.0.0.1:${target.port}/` }), {
      timeoutMs: 5000,
    });
    expect(plain.values?.days_remaining).toBeUndefined();
  });
});
