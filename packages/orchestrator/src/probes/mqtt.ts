import { randomBytes } from "node:crypto";
import { connect, type IClientOptions, type MqttClient } from "mqtt";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { errorText, healthy, safeUrl, unhealthy } from "./support/result.ts";
import { tlsConnectOptions, tlsOptions } from "./support/tls-options.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe, ValueInfo } from "./types.ts";

const MQTT_VALUES = {
  round_trip_ms: { unit: "ms", description: "Time from publishing on the topic to receiving it back." },
} as const satisfies Record<string, ValueInfo>;

export const MqttCheck = z
  .strictObject({
    kind: z.literal("mqtt"),
    ...checkPolicy,
    url: z
      .string()
      // A refine, not a pattern: the JSON Schema sees `${VAR}` placeholders before substitution.
      .refine((url) => /^(mqtts?|wss?):\/\//.test(url), "use an mqtt://, mqtts://, ws:// or wss:// URL")
      .default("mqtt://127.0.0.1:1883")
      .describe("Broker URL: mqtt://, mqtts:// (TLS), ws:// or wss://; credentials may be in it."),
    username: z.string().optional().describe("User name (or put it in the URL)."),
    password: z
      .string()
      .optional()
      .describe("Password (substitute it from the environment); it never appears in results."),
    client_id: z.string().min(1).optional().describe("Client id; a random vigil-probe-… id by default."),
    tls: tlsOptions.optional().describe("TLS trust for mqtts:// and wss:// brokers."),
    topic: z
      .string()
      .min(1)
      .regex(/^[^#+]+$/, "use a plain topic (no + or # wildcards)")
      .optional()
      .describe("Subscribe, publish a unique message and wait for it back on this topic."),
    qos: z
      .union([z.literal(0), z.literal(1), z.literal(2)])
      .default(0)
      .describe("QoS of the round trip."),
    expect: z
      .strictObject(valueConditionFields(MQTT_VALUES))
      .optional()
      .describe('Conditions on the round trip, e.g. { round_trip_ms: "< 200" }; failing ones are degraded.'),
  })
  .refine((c) => c.expect === undefined || c.topic !== undefined, {
    message: "expect needs a topic for the round trip it measures",
    path: ["expect"],
  })
  .describe("Connects to an MQTT broker, optionally timing a publish → subscribe round trip.");

export type MqttCheckSpec = z.output<typeof MqttCheck>;

export const mqttProbe: Probe<MqttCheckSpec> = async (spec, ctx) => {
  const started = performance.now();
  const where = safeUrl(spec.url);
  return withClient<MqttClient>(
    ctx,
    {
      where,
      secrets: { urls: [spec.url], values: [spec.password] },
      open: async (_signal, adopt) => {
        const client = connect(spec.url, await clientOptions(spec, ctx.timeoutMs));
        adopt(client);
        await untilConnected(client);
        return client;
      },
      close: (client) => client.end(true),
    },
    async (client, step) => {
      if (spec.topic === undefined) return healthy(`${where}: connected`);
      const topic = spec.topic;
      const nonce = `vigil-${randomBytes(8).toString("hex")}`;
      const echoed = new Promise<number>((resolve) =>
        client.on("message", (got, payload) => {
          if (got === topic && payload.toString() === nonce) resolve(performance.now());
        }),
      );
      // 128 (MQTT 3.1.1) or a reason code of 128 and up (MQTT 5): the broker refused the subscription.
      const grants = await step(client.subscribeAsync(topic, { qos: spec.qos }));
      if (grants.some((grant) => grant.qos >= 128)) {
        return unhealthy(`${where}: the broker refused the subscription to ${JSON.stringify(topic)}`);
      }
      const sent = performance.now();
      await step(client.publishAsync(topic, nonce, { qos: spec.qos }));
      // A broker may accept both and still never deliver (a read ACL): say so before the run times out.
      const waitMs = Math.max(1, started + ctx.timeoutMs * 0.9 - sent);
      const arrived = await step(Promise.race([echoed, delay(waitMs)]));
      if (arrived === undefined) {
        return unhealthy(
          `${where}: published on ${JSON.stringify(topic)}, nothing came back within ${Math.round(waitMs)} ms (a read ACL?)`,
        );
      }
      const roundTrip = Math.round((arrived - sent) * 10) / 10;
      const result = healthy(`${where}: round trip on ${JSON.stringify(topic)} in ${roundTrip} ms`);
      return judgeValues({ ...result, values: { round_trip_ms: roundTrip } }, spec.expect, "degraded");
    },
  );
};

/** Resolves undefined after `ms`; the timer does not hold the process open. */
function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(resolve, ms, undefined).unref());
}

/** One attempt, no reconnects: a probe reports what it sees, it does not retry. */
async function clientOptions(spec: MqttCheckSpec, timeoutMs: number): Promise<IClientOptions> {
  const options: IClientOptions = {
    clientId: spec.client_id ?? `vigil-probe-${randomBytes(6).toString("hex")}`,
    connectTimeout: timeoutMs,
    reconnectPeriod: 0,
    clean: true,
  };
  if (spec.username !== undefined) options.username = spec.username;
  if (spec.password !== undefined) options.password = spec.password;
  return { ...options, ...(await tlsConnectOptions(spec.tls)) };
}

/** Resolves on CONNACK; rejects on the first error, or when the connection closes before it. */
function untilConnected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve());
    client.on("error", (error) => reject(new Error(errorText(error))));
    client.once("close", () => reject(new Error("connection closed before the broker accepted it")));
  });
}

export const mqtt: CheckKindDef<MqttCheckSpec> = { schema: MqttCheck, probe: mqttProbe, values: MQTT_VALUES };
