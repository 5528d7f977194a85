/*
 * Email over SMTP with nodemailer: implicit TLS, STARTTLS or plain; AUTH; text + HTML parts.
 * https://nodemailer.com/smtp/ (secure / requireTLS / ignoreTLS, auth, tls options)
 * https://nodemailer.com/message/ (messageId, inReplyTo, references; `signal` aborts the send)
 * Threading: RFC 5322 §3.6.4. The trigger's Message-ID is derived from the incident key and every
 * later message of the incident names it in In-Reply-To / References, so one incident is one thread.
 */
import nodemailer from "nodemailer";
import { z } from "zod";
import { errorText } from "../../probes/support/result.ts";
import { defineChannel } from "../support/define.ts";
import { escapeHtml } from "../support/escape.ts";
import { htmlFragment } from "../support/html.ts";
import { messageParts, plainText } from "../support/message.ts";
import type { DeliveryOutcome, Notification, SentRequest } from "../types.ts";

export const EmailConfig = z
  .object({
    kind: z.literal("email"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    /** tls = implicit TLS (usually 465); starttls = upgrade required (587); none = plain (local relays only). */
    security: z.enum(["tls", "starttls", "none"]).default("starttls"),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    from: z.email(),
    to: z.array(z.email()).min(1),
    /** PEM of a private CA or self-signed server certificate to trust (instead of turning checks off). */
    ca: z.string().min(1).optional(),
    subject_prefix: z.string().default("[Vigil]"),
  })
  .strict()
  .refine((c) => (c.username === undefined) === (c.password === undefined), {
    message: "username and password go together",
    path: ["password"],
  });
export type EmailConfig = z.output<typeof EmailConfig>;

const DEFAULT_PORT = { tls: 465, starttls: 587, none: 25 } as const;

/** Message ids live in the sender's domain so they are globally unique per RFC 5322. */
function messageId(local: string, from: string): string {
  const domain = from.split("@")[1] ?? "vigil.invalid";
  return `<${local.replace(/[^\w.-]/g, "_")}@${domain}>`;
}

function html(n: Notification): string {
  return `<!doctype html><html><body style="font-family:sans-serif"><p>${htmlFragment(n)}</p><p style="color:#888">Sent by Vigil · ${escapeHtml(n.id)}</p></body></html>`;
}

export const emailChannel = defineChannel({
  kind: "email",
  schema: EmailConfig,
  secretFields: ["password"],
  async send(config, n, ctx) {
    const port = config.port ?? DEFAULT_PORT[config.security];
    const transport = nodemailer.createTransport({
      host: config.host,
      port,
      secure: config.security === "tls",
      requireTLS: config.security === "starttls",
      ignoreTLS: config.security === "none",
      ...(config.username !== undefined && config.password !== undefined
        ? { auth: { user: config.username, pass: config.password } }
        : {}),
      ...(config.ca !== undefined ? { tls: { ca: config.ca } } : {}),
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
    });
    const thread = messageId(n.incidentKey, config.from);
    const first = n.event === "trigger";
    const subject = `${config.subject_prefix} ${messageParts(n).headline}`.trim().replace(/[\r\n]+/g, " ");
    const text = plainText(n);
    const sent: SentRequest = {
      target: `smtp://${config.host}:${port} → ${config.to.join(", ")}`,
      headers: { Subject: subject },
      body: text,
    };
    try {
      const info = await transport.sendMail({
        from: config.from,
        to: config.to,
        subject,
        text,
        html: html(n),
        messageId: first ? thread : messageId(n.id, config.from),
        ...(first ? {} : { inReplyTo: thread, references: [thread] }),
        headers: { "X-Vigil-Notification": n.id, "X-Vigil-Event": n.event },
        signal: ctx.signal,
      });
      return { ok: true, sent, response: info.response };
    } catch (error) {
      return smtpFailure(sent, error, ctx.signal.aborted, ctx.timeoutMs);
    } finally {
      transport.close();
    }
  },
});

interface SmtpError {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  response?: string;
}

/**
 * SMTP failures: 4yz replies and lost connections are worth retrying; 5yz replies (permanent),
 * failed authentication and TLS/config errors are not (the same message would fail the same way).
 */
function smtpFailure(
  sent: SentRequest,
  error: unknown,
  aborted: boolean,
  timeoutMs: number,
): DeliveryOutcome {
  if (aborted) return { ok: false, sent, error: `timed out after ${timeoutMs}ms`, retryable: true };
  const e = (error ?? {}) as SmtpError;
  const text = errorText(error);
  if (e.responseCode !== undefined) {
    const outcome: DeliveryOutcome = {
      ok: false,
      sent,
      error: `SMTP ${e.responseCode}: ${text}`,
      retryable: e.code === "EAUTH" ? false : e.permanent !== true,
    };
    return outcome;
  }
  const transient = ["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS"].includes(e.code ?? "");
  return { ok: false, sent, error: text, retryable: transient && !/certificate/i.test(text) };
}
