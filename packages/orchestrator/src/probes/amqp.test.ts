import { randomBytes } from "node:crypto";
import { type ChannelModel, connect } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { startMuteServer } from "../testing/mute-server.ts";
import { AmqpCheck } from "./amqp.ts";
import { runCheck } from "./run.ts";

// The real RabbitMQ the machine runs (guest/guest on 5672; see shared/notes/environment.md).
const URL = "amqp://guest:guest@127.0.0.1:5672";
const queue = `vigil-test-${randomBytes(4).toString("hex")}`;

describe("amqp check parsing", () => {
  it("parses queue conditions into comparisons", () => {
    const spec = AmqpCheck.parse({ kind: "amqp", queue: "jobs", expect: { queue_depth: "<= 10" } });
    expect(spec.expect?.queue_depth).toEqual([{ text: "<= 10", op: "<=", threshold: 10 }]);
  });

  it("names a bad condition, an unknown value and conditions without a queue", () => {
    const bad = AmqpCheck.safeParse({ kind: "amqp", queue: "q", expect: { queue_depth: "small" } });
    expect(bad.error?.issues[0]?.path).toEqual(["expect", "queue_depth"]);
    expect(JSON.stringify(bad.error?.issues)).toContain('invalid condition \\"small\\"');
    const unknown = AmqpCheck.safeParse({ kind: "amqp", queue: "q", expect: { depth: "<= 1" } });
    expect(unknown.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["depth"] });
    const noQueue = AmqpCheck.safeParse({ kind: "amqp", expect: { consumers: ">= 1" } });
    expect(noQueue.error?.issues[0]).toMatchObject({ path: ["expect"] });
  });
});

describe("amqp probe on the real RabbitMQ", () => {
  let admin: ChannelModel;
  beforeAll(async () => {
    admin = await connect(URL);
    const channel = await admin.createChannel();
    await channel.assertQueue(queue, { durable: false });
    for (const n of [1, 2, 3]) channel.sendToQueue(queue, Buffer.from(String(n)));
    await channel.close();
  });
  afterAll(async () => {
    const channel = await admin.createChannel();
    await channel.deleteQueue(queue);
    await admin.close();
  });

  it("connects, and reports a queue's depth and consumers as values", async () => {
    const plain = await runCheck(AmqpCheck.parse({ kind: "amqp", url: URL }), { timeoutMs: 10_000 });
    expect(plain.status).toBe("healthy");
    expect(plain.message).toMatch(/^amqp:\/\/127\.0\.0\.1:5672: connected \(RabbitMQ /);
    const deep = await runCheck(
      AmqpCheck.parse({ kind: "amqp", url: URL, queue, expect: { queue_depth: "<= 3" } }),
      { timeoutMs: 10_000 },
    );
    expect(deep).toMatchObject({ status: "healthy", values: { queue_depth: 3, consumers: 0 } });
  });

  it("is unhealthy when the queue is deeper or has fewer consumers than expected", async () => {
    const result = await runCheck(
      AmqpCheck.parse({ kind: "amqp", url: URL, queue, expect: { queue_depth: "<= 2", consumers: ">= 1" } }),
      { timeoutMs: 10_000 },
    );
    expect(result.status).toBe("unhealthy");
    expect(result.message).toMatch(/^queue_depth 3 is not <= 2; consumers 0 is not >= 1 \(/);
  });

  it("counts a real consumer", async () => {
    const channel = await admin.createChannel();
    await channel.prefetch(1);
    const { consumerTag } = await channel.consume(queue, () => {});
    try {
      const result = await runCheck(
        AmqpCheck.parse({ kind: "amqp", url: URL, queue, expect: { consumers: ">= 1" } }),
        { timeoutMs: 10_000 },
      );
      // prefetch 1: one message is out with the consumer, two stay ready.
      expect(result).toMatchObject({ status: "healthy", values: { queue_depth: 2, consumers: 1 } });
    } finally {
      await channel.cancel(consumerTag);
      await channel.close(); // unacked messages go back to the queue
    }
  });

  it("is unhealthy for a missing queue", async () => {
    const missing = await runCheck(AmqpCheck.parse({ kind: "amqp", url: URL, queue: `${queue}-absent` }), {
      timeoutMs: 10_000,
    });
    expect(missing).toMatchObject({
      status: "unhealthy",
      message: `amqp://127.0.0.1:5672: queue "${queue}-absent" does not exist`,
    });
  });

  it("is unhealthy on a wrong password and never shows it", async () => {
    const secret = `wrong-${randomBytes(6).toString("hex")}`;
    const bad = await runCheck(
      AmqpCheck.parse({ kind: "amqp", url: `amqp://guest:${secret}@127.0.0.1:5672` }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toContain("ACCESS_REFUSED");
    expect(JSON.stringify(bad)).not.toContain(secret);
  });

  it("is unhealthy when the broker is down", async () => {
    const port = await closedPort();
    const down = await runCheck(
      AmqpCheck.parse({ kind: "amqp", url: `amqp://u:s3cret-pw@127.0.0.1:${port}` }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(down.status).toBe("unhealthy");
    expect(down.message).toContain("ECONNREFUSED");
    expect(down.message).not.toContain("s3cret-pw");
  });

  it("gives up on a broker that accepts and never answers, without holding up another check", async () => {
    const mute = await startMuteServer();
    try {
      const [hung, fine] = await Promise.all([
        runCheck(AmqpCheck.parse({ kind: "amqp", url: `amqp://127.0.0.1:${mute.port}` }), { timeoutMs: 400 }),
        runCheck(AmqpCheck.parse({ kind: "amqp", url: URL }), { timeoutMs: 10_000 }),
      ]);
      expect(hung).toMatchObject({ status: "unhealthy", message: "timed out after 400ms" });
      expect(fine.status).toBe("healthy");
    } finally {
      await mute.close();
    }
  });
});
