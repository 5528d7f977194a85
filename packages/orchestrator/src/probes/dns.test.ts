import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsmasq, type TestDns } from "../testing/dnsmasq.ts";
import { DnsCheck, judgeDns } from "./dns.ts";
import { runCheck } from "./run.ts";

describe("dns check parsing and result mapping", () => {
  const parse = (over: Record<string, unknown>) => DnsCheck.parse({ kind: "dns", query: "a.test", ...over });

  it("defaults to an A query expecting NOERROR and rejects unknown types", () => {
    expect(parse({})).toMatchObject({ type: "A", expect: { rcode: "NOERROR", exact: false } });
    expect(DnsCheck.safeParse({ kind: "dns", query: "x", type: "PTR" }).success).toBe(false);
    expect(DnsCheck.safeParse({ kind: "dns", query: "x", expect: { rcode: "NOPE" } }).success).toBe(false);
  });

  it("maps rcodes and answers to verdicts", () => {
    const spec = parse({ expect: { answers: ["10.0.0.1"] } });
    expect(judgeDns(spec, "A a.test", "NOERROR", ["10.0.0.1", "10.0.0.9"]).status).toBe("healthy");
    expect(judgeDns(spec, "A a.test", "NOERROR", ["10.0.0.9"]).message).toBe(
      "A a.test: missing 10.0.0.1; got 10.0.0.9",
    );
    expect(judgeDns(spec, "A a.test", "SERVFAIL", []).message).toBe(
      "A a.test: SERVFAIL (expected NOERROR), no answers",
    );
    const exact = parse({ expect: { answers: ["10.0.0.1"], exact: true } });
    expect(judgeDns(exact, "q", "NOERROR", ["10.0.0.1", "10.0.0.9"]).message).toBe("q: unexpected 10.0.0.9");
    // Names compare without case or the root dot.
    const cname = parse({ type: "CNAME", expect: { answers: ["Target.Example."] } });
    expect(judgeDns(cname, "q", "NOERROR", ["target.example"]).status).toBe("healthy");
  });

  it("treats an empty NOERROR as a failure unless an empty answer is what is expected", () => {
    expect(judgeDns(parse({}), "q", "NOERROR", []).message).toBe("q: NOERROR but no A records");
    expect(judgeDns(parse({ expect: { answers: [] } }), "q", "NOERROR", []).status).toBe("healthy");
    expect(judgeDns(parse({ expect: { rcode: "NXDOMAIN" } }), "q", "NXDOMAIN", []).status).toBe("healthy");
  });
});

/** A UDP socket that answers every query with one rcode, or never (`null`): a broken server. */
async function brokenServer(rcode: number | null): Promise<{ server: string; close: () => Promise<void> }> {
  const socket: Socket = createSocket("udp4");
  socket.on("message", (query, peer) => {
    if (rcode === null) return;
    const answer = Buffer.from(query);
    answer[2] = (answer[2] ?? 0) | 0x80; // QR: this is a response
    answer[3] = ((answer[3] ?? 0) & 0xf0) | rcode;
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

describe("dns probe against a real dnsmasq started by the test", () => {
  let dns: TestDns;
  const run = (over: Record<string, unknown>, timeoutMs = 5000) =>
    runCheck(DnsCheck.parse({ kind: "dns", server: dns.server, ...over }), { timeoutMs });

  beforeAll(async () => {
    dns = await startDnsmasq([
      "--local=/test/",
      "--address=/a.test/10.0.0.1",
      "--address=/a.test/fd00::1",
      "--cname=www.test,a.test",
      "--mx-host=test,mail.test,10",
      "--txt-record=txt.test,v=spf1 -all",
      "--srv-host=_http._tcp.test,web.test,8080,1,5",
    ]);
  });
  afterAll(() => dns.close());

  it("checks A, AAAA, CNAME, MX, TXT and SRV answers", async () => {
    const results = await Promise.all([
      run({ query: "a.test", expect: { answers: ["10.0.0.1"], exact: true } }),
      run({ query: "a.test", type: "AAAA", expect: { answers: ["fd00::1"] } }),
      run({ query: "www.test", type: "CNAME", expect: { answers: ["a.test"] } }),
      run({ query: "test", type: "MX", expect: { answers: ["10 mail.test"] } }),
      run({ query: "txt.test", type: "TXT", expect: { answers: ["v=spf1 -all"] } }),
      run({ query: "_http._tcp.test", type: "SRV", expect: { answers: ["1 5 8080 web.test"] } }),
    ]);
    expect(results.map((r) => [r.status, r.message])).toEqual([
      ["healthy", `A a.test @${dns.server}: NOERROR, 10.0.0.1`],
      ["healthy", `AAAA a.test @${dns.server}: NOERROR, fd00::1`],
      ["healthy", `CNAME www.test @${dns.server}: NOERROR, a.test`],
      ["healthy", `MX test @${dns.server}: NOERROR, 10 mail.test`],
      ["healthy", `TXT txt.test @${dns.server}: NOERROR, v=spf1 -all`],
      ["healthy", `SRV _http._tcp.test @${dns.server}: NOERROR, 1 5 8080 web.test`],
    ]);
  });

  // A dnsmasq of its own: an interface in auth mode answers only for its zones.
  it("checks the NS answers of an authoritative zone", async () => {
    const auth = await startDnsmasq([
      "--auth-server=ns1.zone.example,127.0.0.1",
      "--auth-zone=zone.example",
      "--auth-sec-servers=ns2.example.org",
    ]);
    try {
      const spec = DnsCheck.parse({
        kind: "dns",
        query: "zone.example",
        type: "NS",
        server: auth.server,
        expect: { answers: ["ns1.zone.example", "ns2.example.org"], exact: true },
      });
      expect(await runCheck(spec, { timeoutMs: 5000 })).toMatchObject({
        status: "healthy",
        message: `NS zone.example @${auth.server}: NOERROR, ns1.zone.example, ns2.example.org`,
      });
    } finally {
      await auth.close();
    }
  });

  it("reports an unexpected answer, NXDOMAIN and REFUSED with the real rcodes", async () => {
    const wrong = await run({ query: "a.test", expect: { answers: ["10.9.9.9"] } });
    expect(wrong).toMatchObject({
      status: "unhealthy",
      details: { rcode: "NOERROR", answers: ["10.0.0.1"] },
    });
    const nx = await run({ query: "missing.test" });
    expect(nx.message).toBe(`A missing.test @${dns.server}: NXDOMAIN (expected NOERROR), no answers`);
    expect((await run({ query: "missing.test", expect: { rcode: "NXDOMAIN" } })).status).toBe("healthy");
    // Outside its local zone and without upstreams, dnsmasq refuses.
    const refused = await run({ query: "example.com" });
    expect(refused).toMatchObject({ status: "unhealthy", details: { rcode: "REFUSED" } });
    const empty = await run({ query: "txt.test", type: "NS" });
    expect(empty.message).toContain("NOERROR but no NS records");
  });

  it("maps SERVFAIL from a server that fails, and cuts a hung server at the timeout without holding up another check", async () => {
    const failing = await brokenServer(2);
    const silent = await brokenServer(null);
    try {
      const servfail = await runCheck(
        DnsCheck.parse({ kind: "dns", query: "a.test", server: failing.server }),
        {
          timeoutMs: 5000,
        },
      );
      expect(servfail).toMatchObject({ status: "unhealthy", details: { rcode: "SERVFAIL" } });
      // A hung server never holds up another dns check running beside it.
      const order: string[] = [];
      const [hung, ok] = await Promise.all([
        runCheck(DnsCheck.parse({ kind: "dns", query: "a.test", server: silent.server }), {
          timeoutMs: 1500,
        }).finally(() => order.push("hung")),
        run({ query: "a.test" }).finally(() => order.push("ok")),
      ]);
      expect(hung.status).toBe("unhealthy");
      expect(hung.message).toMatch(/timed out after 1500ms|ETIMEOUT/);
      expect(ok.status).toBe("healthy");
      expect(order).toEqual(["ok", "hung"]);
    } finally {
      await failing.close();
      await silent.close();
    }
  });

  it("is unhealthy when the server is down", async () => {
    const gone = await startDnsmasq(["--local=/test/"]);
    await gone.close();
    const down = await runCheck(DnsCheck.parse({ kind: "dns", query: "a.test", server: gone.server }), {
      timeoutMs: 2000,
    });
    expect(down.status).toBe("unhealthy");
    expect(down.message).toMatch(/ECONNREFUSED|ETIMEOUT|timed out/);
  });
});
