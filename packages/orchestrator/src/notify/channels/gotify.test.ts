import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { GotifyConfig, gotifyChannel } from "./gotify.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

describe("gotify channel", () => {
  it("POSTs /message with the app token header, priority and markdown extras", async () => {
    const r = await pool.start(
      providerReceiver("gotify", {
        path: "/gotify/message",
        authorized: (req) => req.headers["x-gotify-key"] === "AbCdEf123456",
      }),
    );
    const config = GotifyConfig.parse({ kind: "gotify", url: `${r.url}/gotify/`, token: "AbCdEf123456" });
    const n = sampleNotification({ severity: "warning" });
    expect(await gotifyChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/gotify/message");
    expect(req.headers["x-gotify-key"]).toBe("AbCdEf123456");
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body);
    expect(body.priority).toBe(5);
    expect(body.extras).toEqual({
      "client::display": { contentType: "text/markdown" },
      "client::notification": { click: { url: n.links.incident } },
    });
    expect(body.message).toContain("\\*\\_\\~\\|");
    expect(body.message).not.toContain("@everyone");
  });

  it("classifies Gotify's answers; the token never shows in outcomes", async () => {
    const r = await pool.start(
      providerAnswers(
        { status: 200, body: {} },
        { status: 401, body: { error: "Unauthorized", errorCode: 401 } },
      ),
    );
    const config = GotifyConfig.parse({ kind: "gotify", url: r.url, token: "AbCdEf123456", priority: 9 });
    await expectProviderClassification(
      () => gotifyChannel.send(config, sampleNotification(), deliveryContext()),
      ["AbCdEf123456"],
    );
    expect(JSON.parse(r.received[0]!.body).priority).toBe(9);
  });
});
