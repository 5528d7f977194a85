import { describe, expect, it } from "vitest";
import { CHANNEL_KINDS, CHANNELS, ChannelConfigSchema, channelFor, secretsOf } from "./registry.ts";

describe("channel registry", () => {
  it("every channel is registered under its own kind; its secret fields are fields of its schema", () => {
    for (const kind of CHANNEL_KINDS) {
      const channel = CHANNELS[kind];
      expect(channel.kind).toBe(kind);
      expect(channelFor(kind)).toBe(channel);
      expect(channel.secretFields.length, kind).toBeGreaterThan(0);
      for (const field of channel.secretFields) {
        expect(Object.keys(channel.schema.shape), `${kind}.${field}`).toContain(field.split(".")[0]);
      }
    }
  });

  it("the derived union validates by kind and names unknown kinds", () => {
    const ok = ChannelConfigSchema.safeParse({ kind: "webhook", url: "http://127.0.0.1:9/x" });
    expect(ok.success).toBe(true);
    const unknown = ChannelConfigSchema.safeParse({ kind: "pigeon", url: "http://x" });
    expect(unknown.success).toBe(false);
    expect(() => channelFor("pigeon" as never)).toThrow(/unknown channel kind "pigeon"/);
  });

  it("secretsOf lists field values and derived credentials", () => {
    const ntfy = ChannelConfigSchema.parse({
      kind: "ntfy",
      topic: "t",
      username: "phil",
      password: "mypass123",
    });
    expect(secretsOf(ntfy)).toEqual([Buffer.from("phil:mypass123").toString("base64"), "mypass123"]);
    const hook = ChannelConfigSchema.parse({
      kind: "webhook",
      url: "http://h/x",
      secret: "0123456789abcdef",
      headers: { Authorization: "Bearer abcdefgh" },
    });
    expect(secretsOf(hook).sort()).toEqual(["0123456789abcdef", "Bearer abcdefgh"]);
  });
});
