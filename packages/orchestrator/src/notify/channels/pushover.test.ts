import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { PushoverConfig, pushoverChannel } from "./pushover.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
const USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";

describe("pushover channel", () => {
  it("POSTs messages.json form-encoded with token, user, priority, url and escaped HTML", async () => {
    const r = await pool.start(providerReceiver("pushover", { path: "/1/messages.json" }));
    const config = PushoverConfig.parse({
      kind: "pushover",
      token: TOKEN,
      user: USER,
      emergency: true,
      api_url: r.url,
    });
    const n = sampleNotification();
    expect(await pushoverChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/1/messages.json");
    expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(req.body);
    expect(form.get("token")).toBe(TOKEN);
    expect(form.get("user")).toBe(USER);
    expect(form.get("priority")).toBe("2");
    expect(form.get("retry")).toBe("60");
    expect(form.get("expire")).toBe("3600");
    expect(form.get("html")).toBe("1");
    expect(form.get("url")).toBe(n.links.incident);
    expect(form.get("timestamp")).toBe(String(Date.parse(n.at) / 1000));
    expect(form.get("message")!.length).toBeLessThanOrEqual(1024);
    expect(form.get("message")).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(form.get("title")!.length).toBeLessThanOrEqual(250);
  });

  it("a resolve is quiet, and Pushover's answers are classified without leaking keys", async () => {
    const r = await pool.start(
      providerAnswers(
        { status: 200, body: { status: 1 } },
        { status: 400, body: { status: 0, errors: ["user identifier is invalid"] } },
      ),
    );
    const config = PushoverConfig.parse({ kind: "pushover", token: TOKEN, user: USER, api_url: r.url });
    await expectProviderClassification(
      () => pushoverChannel.send(config, sampleNotification({ event: "resolve" }), deliveryContext()),
      [TOKEN, USER],
    );
    expect(new URLSearchParams(r.received[0]!.body).get("priority")).toBe("-1");
  });
});
