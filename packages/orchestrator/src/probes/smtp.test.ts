import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SMTPServerOptions } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { startMuteServer } from "../testing/mute-server.ts";
import { type SelfSigned, selfSigned } from "../testing/self-signed.ts";
import { startSmtpServer } from "../testing/smtp-server.ts";
import { runCheck } from "./run.ts";
import { extensionsOf, judge, SmtpCheck } from "./smtp.ts";

describe("smtp check parsing and mapping", () => {
  it("defaults to STARTTLS on port 25", () => {
    expect(SmtpCheck.parse({ kind: "smtp" })).toMatchObject({
      host: "127.0.0.1",
      port: 25,
      security: "starttls",
    });
    expect(SmtpCheck.safeParse({ kind: "smtp", security: "ssl" }).success).toBe(false);
  });

  it("maps banner and extensions to a result", () => {
    const banner = { code: 220, lines: ["mx.example ESMTP Postfix"] };
    const spec = SmtpCheck.parse({
      kind: "smtp",
      expect: { banner_contains: "Postfix", extensions: ["size"] },
    });
    expect(judge(spec, "smtp://mx:25", banner, ["SIZE", "STARTTLS"], { tls: "TLSv1.3" })).toMatchObject({
      status: "healthy",
      message: "smtp://mx:25: 220 mx.example ESMTP Postfix; EHLO ok, STARTTLS TLSv1.3",
    });
    expect(judge(spec, "smtp://mx:25", banner, ["STARTTLS"], {})).toMatchObject({
      status: "unhealthy",
      message: "smtp://mx:25: EHLO does not offer size",
    });
    const exim = { code: 220, lines: ["mx.example ESMTP Exim"] };
    expect(judge(spec, "smtp://mx:25", exim, ["SIZE"], {}).message).toBe(
      'smtp://mx:25: banner "220 mx.example ESMTP Exim" lacks "Postfix"',
    );
  });

  it("reads EHLO keywords", () => {
    const ehlo = { code: 250, lines: ["mx.example Hello", "PIPELINING", "SIZE 10240000", "starttls"] };
    expect(extensionsOf(ehlo)).toEqual(["PIPELINING", "SIZE", "STARTTLS"]);
  });
});

describe("smtp probe on real SMTP servers", () => {
  let cert: SelfSigned;
  let dir: string;
  let caFile: string;
  const servers: { close: () => Promise<void> }[] = [];
  const start = async (options: SMTPServerOptions) => {
    const server = await startSmtpServer({ key: cert.key, cert: cert.cert, ...options });
    servers.push(server);
    return server.port;
  };
  beforeAll(async () => {
    cert = await selfSigned();
    dir = await mkdtemp(join(tmpdir(), "vigil-smtp-test-"));
    caFile = join(dir, "ca.pem");
    await writeFile(caFile, cert.cert);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the banner, says EHLO and completes STARTTLS", async () => {
    const port = await start({ banner: "Vigil test relay" });
    const spec = SmtpCheck.parse({
      kind: "smtp",
      port,
      tls: { ca: caFile, servername: "localhost" },
      expect: { banner_contains: "Vigil test relay", extensions: ["8bitmime"] },
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result.status).toBe("healthy");
    expect(result.message).toMatch(
      new RegExp(`^smtp://127\\.0\\.0\\.1:${port}: 220 .*EHLO ok, STARTTLS TLSv1\\.[23]$`),
    );
    expect(result.details).toMatchObject({ starttls: true, tls: expect.stringMatching(/^TLSv1\.[23]$/) });
  });

  it("fails STARTTLS against an untrusted certificate unless told to accept it", async () => {
    const port = await start({});
    const strict = await runCheck(SmtpCheck.parse({ kind: "smtp", port }), { timeoutMs: 10_000 });
    expect(strict.status).toBe("unhealthy");
    expect(strict.message).toContain("self-signed certificate");
    const lax = await runCheck(SmtpCheck.parse({ kind: "smtp", port, tls: { insecure: true } }), {
      timeoutMs: 10_000,
    });
    expect(lax.status).toBe("healthy");
  });

  it("is unhealthy when STARTTLS is not offered, unless plain SMTP is allowed", async () => {
    const port = await start({ disabledCommands: ["STARTTLS"] });
    const required = await runCheck(SmtpCheck.parse({ kind: "smtp", port }), { timeoutMs: 10_000 });
    expect(required).toMatchObject({
      status: "unhealthy",
      message: `smtp://127.0.0.1:${port}: STARTTLS not offered (security: none allows plain SMTP)`,
    });
    const plain = await runCheck(SmtpCheck.parse({ kind: "smtp", port, security: "none" }), {
      timeoutMs: 10_000,
    });
    expect(plain.status).toBe("healthy");
    expect(plain.message).toMatch(/EHLO ok, plain$/);
  });

  it("speaks TLS from the first byte on an implicit-TLS port", async () => {
    const port = await start({ secure: true });
    const spec = SmtpCheck.parse({
      kind: "smtp",
      port,
      security: "tls",
      tls: { ca: caFile, servername: "localhost" },
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result.status).toBe("healthy");
    expect(result.message).toMatch(/EHLO ok, TLS TLSv1\.[23]$/);
  });

  it("is unhealthy when the server refuses the connection, or lacks an extension", async () => {
    const port = await start({
      onConnect: (_session, callback) => callback(new Error("no relaying for you")),
    });
    const refused = await runCheck(SmtpCheck.parse({ kind: "smtp", port }), { timeoutMs: 10_000 });
    expect(refused.status).toBe("unhealthy");
    expect(refused.message).toMatch(new RegExp(`^smtp://127\\.0\\.0\\.1:${port}: refused with 5\\d\\d `));
    const open = await start({});
    const missing = await runCheck(
      SmtpCheck.parse({
        kind: "smtp",
        port: open,
        tls: { insecure: true },
        expect: { extensions: ["SMTPUTF8X"] },
      }),
      { timeoutMs: 10_000 },
    );
    expect(missing).toMatchObject({
      status: "unhealthy",
      message: `smtp://127.0.0.1:${open}: EHLO does not offer SMTPUTF8X`,
    });
  });

  it("is unhealthy when something else answers on the port", async () => {
    const http = createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    try {
      const port = (http.address() as AddressInfo).port;
      const result = await runCheck(SmtpCheck.parse({ kind: "smtp", port }), { timeoutMs: 10_000 });
      expect(result).toMatchObject({
        status: "unhealthy",
        message: `smtp://127.0.0.1:${port}: not an SMTP reply: "HTTP/1.1 400 Bad Request"`,
      });
    } finally {
      http.close();
    }
  });

  it("is unhealthy when the server is down, and gives up on a silent one without holding up another", async () => {
    const down = await runCheck(SmtpCheck.parse({ kind: "smtp", port: await closedPort() }), {
      timeoutMs: 10_000,
    });
    expect(down.status).toBe("unhealthy");
    expect(down.message).toContain("ECONNREFUSED");
    const mute = await startMuteServer();
    const open = await start({});
    try {
      const [hung, fine] = await Promise.all([
        runCheck(SmtpCheck.parse({ kind: "smtp", port: mute.port }), { timeoutMs: 400 }),
        runCheck(SmtpCheck.parse({ kind: "smtp", port: open, security: "none" }), { timeoutMs: 10_000 }),
      ]);
      expect(hung).toMatchObject({ status: "unhealthy", message: "timed out after 400ms" });
      expect(fine.status).toBe("healthy");
    } finally {
      await mute.close();
    }
  });
});
