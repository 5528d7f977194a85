import { isIP, connect as netConnect, type Socket } from "node:net";
import { hostname } from "node:os";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import { z } from "zod";
import { SmtpReplies, type SmtpReply } from "./smtp/replies.ts";
import { checkPolicy } from "./support/policy.ts";
import { healthy, unhealthy } from "./support/result.ts";
import { type TlsOptions, tlsConnectOptions, tlsOptions } from "./support/tls-options.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe } from "./types.ts";

export const SmtpCheck = z
  .strictObject({
    kind: z.literal("smtp"),
    ...checkPolicy,
    host: z.string().min(1).default("127.0.0.1").describe("Mail server host."),
    port: z.number().int().min(1).max(65535).default(25).describe("Port: 25 or 587 (STARTTLS), 465 (TLS)."),
    security: z
      .enum(["starttls", "tls", "none"])
      .default("starttls")
      .describe(
        "starttls: STARTTLS must be offered and its handshake succeed; tls: TLS from the start (465); none: plain.",
      ),
    tls: tlsOptions.optional(),
    ehlo: z.string().min(1).optional().describe("Name sent with EHLO; this machine's host name by default."),
    expect: z
      .strictObject({
        banner_contains: z.string().optional().describe("The 220 greeting must contain this text."),
        extensions: z
          .array(z.string().min(1))
          .optional()
          .describe("EHLO extensions the server must offer, e.g. [SIZE, 8BITMIME]."),
      })
      .optional()
      .describe("Conditions on the greeting and the EHLO answer."),
  })
  .describe("Reads an SMTP server's banner, says EHLO and checks that STARTTLS is offered and works.");

export type SmtpCheckSpec = z.output<typeof SmtpCheck>;

interface Session {
  /** The TCP connection; `socket` is the same or, after STARTTLS, the TLS socket over it. */
  raw: Socket;
  socket: Socket;
  replies: SmtpReplies;
}

export const smtpProbe: Probe<SmtpCheckSpec> = (spec, ctx) => {
  const where = `smtp://${spec.host}:${spec.port}`;
  const name = spec.ehlo ?? hostname();
  return withClient<Session>(
    ctx,
    {
      where,
      open: async (_signal, adopt) => {
        const socket =
          spec.security === "tls"
            ? tlsConnect({ host: spec.host, port: spec.port, ...(await trust(spec.host, spec.tls)) })
            : netConnect({ host: spec.host, port: spec.port });
        // The reader listens from the start: the banner may arrive with the connection.
        const session = { raw: socket, socket, replies: new SmtpReplies(socket) };
        adopt(session);
        await connected(socket, spec.security === "tls" ? "secureConnect" : "connect");
        return session;
      },
      close: ({ raw, socket }) => {
        if (!socket.destroyed && socket.writable) socket.write("QUIT\r\n");
        socket.destroy();
        raw.destroy();
      },
    },
    async (session, step) => {
      const banner = await step(session.replies.next());
      if (banner.code !== 220) return unhealthy(`${where}: refused with ${text(banner)}`);
      const say = async (line: string) => {
        session.socket.write(`${line}\r\n`);
        return step(session.replies.next());
      };
      let ehlo = await say(`EHLO ${name}`);
      if (ehlo.code !== 250) return unhealthy(`${where}: EHLO answered ${text(ehlo)}`);
      const offered = extensionsOf(ehlo).includes("STARTTLS");
      const details: Record<string, unknown> = { banner: text(banner), starttls: offered };
      let secured = spec.security === "tls" ? (session.socket as TLSSocket).getProtocol() : null;
      if (spec.security === "starttls") {
        if (!offered)
          return unhealthy(`${where}: STARTTLS not offered (security: none allows plain SMTP)`, details);
        const ready = await say("STARTTLS");
        if (ready.code !== 220) return unhealthy(`${where}: STARTTLS answered ${text(ready)}`, details);
        session.replies.detach();
        const upgraded = tlsConnect({ socket: session.socket, ...(await trust(spec.host, spec.tls)) });
        upgraded.on("error", () => {});
        // From here the session talks TLS; closing the plain socket closes it too.
        const replies = new SmtpReplies(upgraded);
        await step(connected(upgraded, "secureConnect"));
        Object.assign(session, { socket: upgraded, replies });
        secured = upgraded.getProtocol();
        ehlo = await say(`EHLO ${name}`);
        if (ehlo.code !== 250)
          return unhealthy(`${where}: EHLO after STARTTLS answered ${text(ehlo)}`, details);
      }
      details.extensions = extensionsOf(ehlo);
      if (secured) details.tls = secured;
      return judge(spec, where, banner, extensionsOf(ehlo), details);
    },
  );
};

/** Maps what the server said to a result: the expected banner text and extensions. */
export function judge(
  spec: Pick<SmtpCheckSpec, "expect" | "security">,
  where: string,
  banner: SmtpReply,
  extensions: readonly string[],
  details: Record<string, unknown>,
) {
  const want = spec.expect?.banner_contains;
  if (want !== undefined && !text(banner).includes(want)) {
    return unhealthy(
      `${where}: banner ${JSON.stringify(text(banner))} lacks ${JSON.stringify(want)}`,
      details,
    );
  }
  const missing = (spec.expect?.extensions ?? []).filter((ext) => !extensions.includes(ext.toUpperCase()));
  if (missing.length > 0) return unhealthy(`${where}: EHLO does not offer ${missing.join(", ")}`, details);
  const how =
    details.tls === undefined ? "plain" : `${spec.security === "tls" ? "TLS" : "STARTTLS"} ${details.tls}`;
  return healthy(`${where}: ${text(banner).slice(0, 80)}; EHLO ok, ${how}`, details);
}

/** EHLO keywords (first word of each line after the greeting line), upper-cased. */
export function extensionsOf(ehlo: SmtpReply): string[] {
  return ehlo.lines.slice(1).map((line) => (line.split(" ")[0] ?? "").toUpperCase());
}

const text = (reply: SmtpReply) => `${reply.code} ${reply.lines.join(" ")}`.trim();

/** TLS trust options, with SNI set to the host when it is a name. */
async function trust(host: string, tls: TlsOptions | undefined) {
  const options = await tlsConnectOptions(tls);
  return options.servername === undefined && isIP(host) === 0 ? { servername: host, ...options } : options;
}

function connected(socket: Socket, event: "connect" | "secureConnect"): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => resolve());
    socket.once("error", reject);
  });
}

export const smtp: CheckKindDef<SmtpCheckSpec> = { schema: SmtpCheck, probe: smtpProbe };
