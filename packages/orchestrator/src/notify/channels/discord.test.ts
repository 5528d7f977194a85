import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { DiscordConfig, discordChannel } from "./discord.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const HOOK_PATH = "/api/webhooks/1234567890/abcdefTOKENghijkl";

describe("discord channel", () => {
  it("executes the webhook with an embed, no mentions allowed, markdown escaped", async () => {
    const r = await pool.start(providerReceiver("discord", { path: HOOK_PATH }));
    const config = DiscordConfig.parse({ kind: "discord", url: `${r.url}${HOOK_PATH}`, username: "Vigil" });
    const n = sampleNotification();
    expect(await discordChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true, status: 204 });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(HOOK_PATH);
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.username).toBe("Vigil");
    const [embed] = body.embeds;
    expect(embed).toMatchObject({ color: 0xe01e5a, timestamp: n.at, url: n.links.incident });
    expect(embed.title.length).toBeLessThanOrEqual(256);
    expect(embed.fields.length).toBeLessThanOrEqual(25);
    for (const text of [body.content, embed.title, ...embed.fields.map((f: { value: string }) => f.value)]) {
      expect(text).not.toMatch(/@everyone|@here/);
      expect(text).not.toMatch(/(^|[^\\])[*_~|`]/);
    }
    expect(embed.fields.find((f: { name: string }) => f.name === "Reason").value).toContain("\\*\\_\\~\\|");
  });

  it("honours a fractional retry_after from a 429 body", async () => {
    const r = await pool.start(() => ({
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.64, global: false },
    }));
    const config = DiscordConfig.parse({ kind: "discord", url: `${r.url}${HOOK_PATH}` });
    expect(await discordChannel.send(config, sampleNotification(), deliveryContext())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 640,
    });
  });

  it("classifies Discord's answers and keeps the webhook token out of outcomes", async () => {
    const r = await pool.start(
      providerAnswers(
        { status: 204 },
        { status: 401, body: { message: "Invalid Webhook Token", code: 50027 } },
      ),
    );
    const url = `${r.url}${HOOK_PATH}`;
    const config = DiscordConfig.parse({ kind: "discord", url });
    await expectProviderClassification(
      () => discordChannel.send(config, sampleNotification(), deliveryContext()),
      [url],
    );
  });
});
