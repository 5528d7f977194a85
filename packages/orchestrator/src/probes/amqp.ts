import { connect } from "amqplib";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { healthy, safeUrl, unhealthy } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe, ValueInfo } from "./types.ts";

const AMQP_VALUES = {
  queue_depth: { unit: "messages", description: "Messages ready in the queue." },
  consumers: { unit: "", description: "Consumers attached to the queue." },
} as const satisfies Record<string, ValueInfo>;

export const AmqpCheck = z
  .strictObject({
    kind: z.literal("amqp"),
    ...checkPolicy,
    url: z
      .string()
      .min(1)
      .default("amqp://127.0.0.1:5672")
      .describe(
        "amqp[s]://[user:password@]host:port[/vhost] (guest/guest when no user; the password never appears in results).",
      ),
    queue: z
      .string()
      .min(1)
      .optional()
      .describe("This queue must exist; its depth and consumer count become values."),
    expect: z
      .strictObject(valueConditionFields(AMQP_VALUES))
      .optional()
      .describe(
        'Conditions on the queue, e.g. { queue_depth: "<= 1000", consumers: ">= 1" }; failing ones are unhealthy.',
      ),
  })
  .refine((c) => c.expect === undefined || c.queue !== undefined, {
    message: "expect needs a queue whose depth and consumers it checks",
    path: ["expect"],
  })
  .describe("Connects to an AMQP 0-9-1 broker (RabbitMQ), optionally checking a queue.");

export type AmqpCheckSpec = z.output<typeof AmqpCheck>;

export const amqpProbe: Probe<AmqpCheckSpec> = (spec, ctx) => {
  const where = safeUrl(spec.url);
  return withClient(
    ctx,
    {
      where,
      secrets: { urls: [spec.url] },
      // The connection exists only once the handshake is done; the socket timeout bounds a silent broker.
      open: async () => {
        const model = await connect(spec.url, { timeout: ctx.timeoutMs });
        model.on("error", () => {});
        return model;
      },
      close: (model) => model.close(),
    },
    async (model, step) => {
      const product = model.connection.serverProperties.product;
      const version = model.connection.serverProperties.version;
      const details = { server: `${product ?? "broker"} ${version ?? ""}`.trim() };
      if (spec.queue === undefined) return healthy(`${where}: connected (${details.server})`, details);
      const channel = await step(model.createChannel());
      // A missing queue closes the channel (404), not the connection; its error is reported below.
      channel.on("error", () => {});
      let queue: { messageCount: number; consumerCount: number };
      try {
        queue = await step(channel.checkQueue(spec.queue));
      } catch (error) {
        if (ctx.signal.aborted || !/\b404\b/.test(String(error))) throw error;
        return unhealthy(`${where}: queue ${JSON.stringify(spec.queue)} does not exist`, details);
      }
      const values = { queue_depth: queue.messageCount, consumers: queue.consumerCount };
      const result = healthy(
        `${where}: queue ${JSON.stringify(spec.queue)} has ${values.queue_depth} ready, ${values.consumers} consumers`,
        details,
      );
      return judgeValues({ ...result, values }, spec.expect, "unhealthy");
    },
  );
};

export const amqp: CheckKindDef<AmqpCheckSpec> = { schema: AmqpCheck, probe: amqpProbe, values: AMQP_VALUES };
