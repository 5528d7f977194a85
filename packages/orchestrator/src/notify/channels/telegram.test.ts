import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { TelegramConfig, telegramChannel } from "./telegram.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

describe("telegram channel", () => {
  it("calls sendMessage with the token in the path and HTML-escaped text", async () => {
    const r = await pool.start(
      providerReceiver("telegram", {
        path: /^\/bot[^/]+\/sendMessage$/,
        authorized: (req) => req.path === `/bot${TOKEN}/sendMessage`,
      }),
    );
    const config = TelegramConfig.parse({
      kind: "telegram",
      bot_token: TOKEN,
      chat_id: -1001234,
      api_url: r.url,
    });
    const outcome = await telegramChannel.send(config, sampleNotification(), deliveryContext());
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(outcome.sent?.target).toBe(`${r.url}/bot***/sendMessage`);

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      chat_id: -1001234,
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
    // Only our own tags survive: <b> and <a href>; service text arrives escaped.
    const tags = [...body.text.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m: RegExpMatchArray) => m[1]);
    expect(new Set(tags)).toEqual(new Set(["b", "a"]));
    expect(body.text).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(body.text).toContain(
      '<a href="https://vigil.example/services/redis?from=2026-11-30T14:55:00Z&amp;to=',
    );
  });

  it("keeps a huge reason within Telegram's 4096 characters without cutting an entity", async () => {
    const r = await pool.start(() => ({ status: 200, body: { ok: true, result: {} } }));
    const config = TelegramConfig.parse({ kind: "telegram", bot_token: TOKEN, chat_id: 1, api_url: r.url });
    const n = sampleNotification({
      reason: "<&>".repeat(5000),
      affected: Array.from({ length: 900 }, (_, i) => `svc-${i}`),
    });
    await telegramChannel.send(config, n, deliveryContext());
    const { text } = JSON.parse(r.received[0]!.body) as { text: string };
    expect(text).not.toMatch(/&(?!(lt|gt|amp|quot|#39);)/);
    const visible = text.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot|#39);/g, "x");
    expect(visible.length).toBeLessThanOrEqual(4096);
  });

  it("reads retry_after from a 429 body when there is no header", async () => {
    const r = await pool.start(() => ({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 14",
        parameters: { retry_after: 14 },
      },
    }));
    const config = TelegramConfig.parse({
      kind: "telegram",
      bot_token: TOKEN,
      chat_id: "@ops",
      api_url: r.url,
    });
    expect(await telegramChannel.send(config, sampleNotification(), deliveryContext())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 14_000,
    });
  });

  it("classifies the Bot API's answers; the token never shows in outcomes", async () => {
    const r = await pool.start(
      providerAnswers(
        { status: 200, body: { ok: true, result: {} } },
        { status: 401, body: { ok: false, error_code: 401, description: `Unauthorized ${TOKEN}` } },
      ),
    );
    const config = TelegramConfig.parse({ kind: "telegram", bot_token: TOKEN, chat_id: 1, api_url: r.url });
    await expectProviderClassification(
      () => telegramChannel.send(config, sampleNotification(), deliveryContext()),
      [TOKEN],
    );
  });

  it("rejects a malformed token at config time", () => {
    expect(TelegramConfig.safeParse({ kind: "telegram", bot_token: "nope", chat_id: 1 }).success).toBe(false);
  });
});
