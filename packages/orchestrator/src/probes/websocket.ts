import { type RawData, WebSocket } from "ws";
import { z } from "zod";
import { stringMap } from "../config/fields.ts";
import { checkPolicy } from "./support/policy.ts";
import { healthy, safeUrl, unhealthy } from "./support/result.ts";
import { tlsConnectOptions, tlsOptions } from "./support/tls-options.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe, ValueInfo } from "./types.ts";

const WEBSOCKET_VALUES = {
  round_trip_ms: { unit: "ms", description: "Time from sending `send` to the first message back." },
} as const satisfies Record<string, ValueInfo>;

/** Header names whose values are credentials: scrubbed from every message. */
const SECRET_HEADER = /auth|token|cookie|key|secret|pass/i;

export const WebsocketCheck = z
  .strictObject({
    kind: z.literal("websocket"),
    ...checkPolicy,
    url: z
      .string()
      // A refine, not a pattern: the JSON Schema sees `${VAR}` placeholders before substitution.
      .refine((url) => /^wss?:\/\//.test(url), "use a ws:// or wss:// URL")
      .describe("ws:// or wss:// URL to upgrade."),
    headers: stringMap.default({}).describe("Extra request headers (Authorization...)."),
    subprotocol: z.string().min(1).optional().describe("Sec-WebSocket-Protocol to ask for."),
    send: z
      .string()
      .optional()
      .describe("Send this message once open, then wait for the first message back."),
    expect: z
      .strictObject({
        contains: z.string().optional().describe("The first message back must contain this text."),
        ...valueConditionFields(WEBSOCKET_VALUES),
      })
      .optional()
      .describe('Conditions on the answer, e.g. { contains: "pong", round_trip_ms: "< 200" }.'),
    tls: tlsOptions.optional().describe("TLS trust for wss:// URLs."),
  })
  .refine((c) => c.expect?.round_trip_ms === undefined || c.send !== undefined, {
    message: "round_trip_ms needs a message to send",
    path: ["expect", "round_trip_ms"],
  })
  .describe("Opens a WebSocket, optionally timing a message round trip.");

export type WebsocketCheckSpec = z.output<typeof WebsocketCheck>;

/** The socket, and its first message (listened for from the start). */
interface Socket {
  ws: WebSocket;
  first: Promise<string>;
}

export const websocketProbe: Probe<WebsocketCheckSpec> = (spec, ctx) => {
  const where = safeUrl(spec.url);
  const secretHeaders = Object.entries(spec.headers).filter(([name]) => SECRET_HEADER.test(name));
  return withClient<Socket>(
    ctx,
    {
      where,
      secrets: { urls: [spec.url], values: secretHeaders.map(([, value]) => value) },
      open: async (_signal, adopt) => {
        const ws = new WebSocket(spec.url, spec.subprotocol === undefined ? [] : [spec.subprotocol], {
          headers: spec.headers,
          handshakeTimeout: ctx.timeoutMs,
          ...(await tlsConnectOptions(spec.tls)),
        });
        // Listen before the upgrade completes: a server may push its first message right away.
        const first = firstMessage(ws);
        first.catch(() => {});
        const socket = { ws, first };
        adopt(socket);
        await untilOpen(ws);
        return socket;
      },
      close: ({ ws }) => ws.terminate(),
    },
    async ({ ws, first }, step) => {
      const opened = healthy(`${where}: upgraded${ws.protocol ? ` (${ws.protocol})` : ""}`);
      if (spec.send === undefined && spec.expect?.contains === undefined) return opened;
      const sent = performance.now();
      if (spec.send !== undefined) ws.send(spec.send);
      const text = await step(first);
      const roundTrip = Math.round((performance.now() - sent) * 10) / 10;
      const { contains, ...conditions } = spec.expect ?? {};
      const details = { answer: text.slice(0, 200) };
      if (contains !== undefined && !text.includes(contains)) {
        return unhealthy(
          `${where}: answer ${JSON.stringify(details.answer)} lacks ${JSON.stringify(contains)}`,
          details,
        );
      }
      const result = healthy(`${where}: answer in ${roundTrip} ms`, details);
      // Without `send` the wait is for a message the server chose to push: not a round trip.
      const values = spec.send === undefined ? undefined : { round_trip_ms: roundTrip };
      return judgeValues(values ? { ...result, values } : result, conditions, "degraded");
    },
  );
};

/** Resolves once upgraded; rejects with the HTTP status when the server answers without upgrading. */
function untilOpen(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.on("error", (error) => reject(error));
    ws.once("unexpected-response", (_req, res) => {
      reject(
        new Error(
          `upgrade refused: HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ""}`,
        ),
      );
      res.resume();
    });
    ws.once("close", (code) => reject(new Error(`closed before opening (code ${code})`)));
  });
}

/** The first message the server sends, as text (binary frames are read as UTF-8). */
function firstMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    ws.once("message", (data: RawData) => resolve(textOf(data)));
    ws.once("close", (code) => reject(new Error(`closed before answering (code ${code})`)));
  });
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.isBuffer(data) ? data.toString() : Buffer.from(new Uint8Array(data)).toString();
}

export const websocket: CheckKindDef<WebsocketCheckSpec> = {
  schema: WebsocketCheck,
  probe: websocketProbe,
  values: WEBSOCKET_VALUES,
};
