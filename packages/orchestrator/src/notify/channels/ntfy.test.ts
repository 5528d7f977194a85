import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, HOSTILE, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { NtfyConfig, ntfyChannel } from "./ntfy.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

describe("ntfy channel", () => {
  it("publishes JSON to the server root with topic, title, priority, tags and click", async () => {
    const r = await pool.start(
      providerReceiver("ntfy", {
        path: "/",
        authorized: (req) => req.headers.authorization === "Bearer tk_secrettoken1",
      }),
    );
    const config = NtfyConfig.parse({
      kind: "ntfy",
      url: `${r.url}/`,
      topic: "vigil-alerts",
      token: "tk_secrettoken1",
    });
    const n = sampleNotification();
    expect(await ntfyChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/");
    expect(req.headers.authorization).toBe("Bearer tk_secrettoken1");
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ topic: "vigil-alerts", priority: 5, click: n.links.incident });
    expect(body.tags).toEqual(["rotating_light", "vigil"]);
    expect(body.title).toContain(HOSTILE);
    expect(body.markdown).toBeUndefined();
    expect(body.message).toContain("Blocked services: api, worker");
  });

  it("uses Basic auth for username/password and keeps both out of outcomes", async () => {
    const r = await pool.start(
      providerAnswers({ status: 200, body: {} }, { status: 403, body: { code: 40301, error: "forbidden" } }),
    );
    const config = NtfyConfig.parse({
      kind: "ntfy",
      url: r.url,
      topic: "t",
      username: "phil",
      password: "mypass123",
    });
    const outcomes = await expectProviderClassification(
      () => ntfyChannel.send(config, sampleNotification(), deliveryContext()),
      ["mypass123", Buffer.from("phil:mypass123").toString("base64")],
    );
    expect(r.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("phil:mypass123").toString("base64")}`,
    );
    expect(outcomes[0]?.sent?.headers?.Authorization).toBe("Basic ***");
    expect(NtfyConfig.safeParse({ kind: "ntfy", topic: "t", username: "phil" }).success).toBe(false);
  });
});
