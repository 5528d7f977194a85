import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../../testing/http-server.ts";
import { deliveryContext, HOSTILE, sampleNotification } from "../../testing/notification.ts";
import { EmailConfig, emailChannel } from "./email.ts";

/*
 * A real SMTP server (smtp-server) in the test: plain, STARTTLS and implicit TLS with a
 * self-signed certificate made by openssl, AUTH PLAIN and LOGIN. Received mail is parsed with
 * mailparser, the way a mail client would read it.
 */

interface Inbox {
  port: number;
  mail: (ParsedMail & { secure: boolean; user?: string })[];
  close(): Promise<void>;
}

const USER = "vigil";
const PASSWORD = "correct-horse-battery";
let dir = "";
let key = "";
let cert = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vigil-smtp-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  key = readFileSync(join(dir, "key.pem"), "utf8");
  cert = readFileSync(join(dir, "cert.pem"), "utf8");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inboxes: Inbox[] = [];
afterEach(async () => {
  await Promise.all(inboxes.splice(0).map((i) => i.close()));
});

async function inbox(options: SMTPServerOptions): Promise<Inbox> {
  const mail: Inbox["mail"] = [];
  const server = new SMTPServer({
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const user = typeof session.user === "string" ? session.user : undefined;
          mail.push(Object.assign(parsed, { secure: session.secure, ...(user ? { user } : {}) }));
          callback();
        })
        .catch(callback);
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  const box: Inbox = {
    port,
    mail,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  inboxes.push(box);
  return box;
}

const base = { kind: "email", host: "127.0.0.1", from: "vigil@ops.example", to: ["oncall@ops.example"] };

describe("email channel", () => {
  it("sends text + escaped HTML over plain SMTP, threaded by incident", async () => {
    const box = await inbox({ authOptional: true, disabledCommands: ["STARTTLS", "AUTH"] });
    const config = EmailConfig.parse({ ...base, port: box.port, security: "none" });
    const n = sampleNotification();
    expect(await emailChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });
    expect(
      await emailChannel.send(config, { ...n, id: "ntf_2", event: "resolve" }, deliveryContext()),
    ).toMatchObject({
      ok: true,
    });

    const [trigger, resolved] = box.mail;
    expect(trigger?.secure).toBe(false);
    expect(trigger?.subject).toBe(`[Vigil] Alert: ${n.title}`);
    expect(trigger?.text).toContain(HOSTILE);
    expect(trigger?.html).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(trigger?.html).not.toContain("<b>&</b>");
    expect(trigger?.messageId).toBe("<inc_redis_20261130T1500Z@ops.example>");
    expect(trigger?.headers.get("x-vigil-event")).toBe("trigger");
    expect(resolved?.messageId).toBe("<ntf_2@ops.example>");
    expect(resolved?.inReplyTo).toBe(trigger?.messageId);
    expect(resolved?.references).toBe(trigger?.messageId);
  });

  it.each([
    { how: "STARTTLS + AUTH PLAIN", secure: false, security: "starttls", method: "PLAIN" },
    { how: "implicit TLS + AUTH LOGIN", secure: true, security: "tls", method: "LOGIN" },
  ])("delivers over $how, trusting the given self-signed certificate", async (c) => {
    const box = await inbox({ secure: c.secure, key, cert, authMethods: [c.method] });
    const config = EmailConfig.parse({
      ...base,
      port: box.port,
      security: c.security,
      username: USER,
      password: PASSWORD,
      ca: cert,
    });
    expect(await emailChannel.send(config, sampleNotification(), deliveryContext())).toMatchObject({
      ok: true,
    });
    expect(box.mail[0]).toMatchObject({ secure: true, user: USER });
  });

  it("a wrong password fails without retry and without the password in the error", async () => {
    const box = await inbox({ key, cert, authMethods: ["PLAIN", "LOGIN"] });
    const config = EmailConfig.parse({
      ...base,
      port: box.port,
      username: USER,
      password: "wrong-password-1",
      ca: cert,
    });
    const outcome = await emailChannel.send(config, sampleNotification(), deliveryContext());
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.ok ? "" : outcome.error).toMatch(/535/);
    expect(JSON.stringify(outcome)).not.toContain("wrong-password-1");
    expect(box.mail).toHaveLength(0);
  });

  it("an untrusted certificate is not retried; a closed port is", async () => {
    const box = await inbox({ key, cert, authOptional: true });
    const untrusted = EmailConfig.parse({ ...base, port: box.port });
    const outcome = await emailChannel.send(untrusted, sampleNotification(), deliveryContext());
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.ok ? "" : outcome.error).toMatch(/certificate/i);

    const refused = EmailConfig.parse({ ...base, port: await closedPort(), security: "none" });
    expect(await emailChannel.send(refused, sampleNotification(), deliveryContext())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it("a server that never greets is cut off at the delivery timeout, retryable", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (silent.address() as AddressInfo).port;
      const config = EmailConfig.parse({ ...base, port, security: "none" });
      const outcome = await emailChannel.send(config, sampleNotification(), deliveryContext(1000));
      expect(outcome).toMatchObject({ ok: false, retryable: true });
    } finally {
      silent.close();
    }
  });

  it("a 4xx answer to the message is retryable, a 5xx is not", async () => {
    let answer = 451;
    const box = await inbox({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error(`mailbox says ${answer}`), { responseCode: answer }));
      },
    });
    const config = EmailConfig.parse({ ...base, port: box.port, security: "none" });
    expect(await emailChannel.send(config, sampleNotification(), deliveryContext())).toMatchObject({
      ok: false,
      retryable: true,
    });
    answer = 550;
    expect(await emailChannel.send(config, sampleNotification(), deliveryContext())).toMatchObject({
      ok: false,
      retryable: false,
    });
  });
});
