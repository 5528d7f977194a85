import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { MatrixConfig, matrixChannel } from "./matrix.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const TOKEN = "syt_dmlnaWw_secretsecret_0a1b2c";

describe("matrix channel", () => {
  it("PUTs an m.notice with HTML to /send/m.room.message/{txnId}, txnId = notification id", async () => {
    const r = await pool.start(
      providerReceiver("matrix", {
        path: /^\/_matrix\/client\/v3\/rooms\/[^/]+\/send\/m\.room\.message\/[^/]+$/,
        authorized: (req) => req.headers.authorization === `Bearer ${TOKEN}`,
      }),
    );
    const config = MatrixConfig.parse({
      kind: "matrix",
      homeserver: r.url,
      access_token: TOKEN,
      room_id: "!room:example.org",
    });
    const n = sampleNotification();
    expect(await matrixChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });
    await matrixChannel.send(config, n, deliveryContext());

    const [first, retry] = r.received;
    expect(first?.method).toBe("PUT");
    expect(first?.path).toBe(`/_matrix/client/v3/rooms/!room%3Aexample.org/send/m.room.message/${n.id}`);
    expect(retry?.path).toBe(first?.path);
    expect(first?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const body = JSON.parse(first!.body);
    expect(body).toMatchObject({ msgtype: "m.notice", format: "org.matrix.custom.html" });
    expect(body.body).toContain("<b>&</b>");
    expect(body.formatted_body).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(body.formatted_body).not.toContain("<b>&</b>");
  });

  it("reads retry_after_ms from M_LIMIT_EXCEEDED and classifies the homeserver's answers", async () => {
    const limited = await pool.start(() => ({
      status: 429,
      body: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 2500 },
    }));
    const config = MatrixConfig.parse({
      kind: "matrix",
      homeserver: limited.url,
      access_token: TOKEN,
      room_id: "!r:h",
    });
    expect(await matrixChannel.send(config, sampleNotification(), deliveryContext())).toMatchObject({
      retryable: true,
      retryAfterMs: 2500,
    });

    const r = await pool.start(
      providerAnswers(
        { status: 200, body: { event_id: "$e" } },
        { status: 401, body: { errcode: "M_UNKNOWN_TOKEN" } },
      ),
    );
    await expectProviderClassification(
      () => matrixChannel.send({ ...config, homeserver: r.url }, sampleNotification(), deliveryContext()),
      [TOKEN],
    );
  });
});
