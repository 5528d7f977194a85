import { afterEach, describe, expect, it } from "vitest";
import { deliveryContext, HOSTILE, sampleNotification } from "../../testing/notification.ts";
import { type Receiver, startReceiver } from "../../testing/receiver.ts";
import { verifySignature } from "../support/signature.ts";
import { NOTIFICATION_SCHEMA } from "../types.ts";
import { WebhookConfig, webhookChannel } from "./webhook.ts";

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answer: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

const SECRET = "whsec_0123456789abcdef";

describe("webhook channel", () => {
  it("posts the versioned Notification JSON, signed, with idempotency and custom headers", async () => {
    const r = await receiver(() => ({ status: 204 }));
    const config = WebhookConfig.parse({
      kind: "webhook",
      url: `${r.url}/hooks/vigil`,
      secret: SECRET,
      headers: {
        Authorization: "Bearer tok_abcdef",
        "content-type": "text/plain",
        "x-vigil-signature": "forged",
        "user-agent": "ops-bridge",
      },
    });
    const n = sampleNotification();
    const outcome = await webhookChannel.send(config, n, deliveryContext());
    expect(outcome).toMatchObject({ ok: true, status: 204 });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/hooks/vigil");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.authorization).toBe("Bearer tok_abcdef");
    expect(req.headers["user-agent"]).toBe("ops-bridge");
    expect(req.headers["idempotency-key"]).toBe(n.id);
    expect(req.headers["x-vigil-event"]).toBe("trigger");
    const body = JSON.parse(req.body);
    expect(body).toEqual(n);
    expect(body.schema).toBe(NOTIFICATION_SCHEMA);
    expect(body.title).toContain(HOSTILE);

    const header = req.headers["x-vigil-signature"] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, req.body, header)).toMatchObject({ ok: true });
    expect(verifySignature(SECRET, `${req.body} `, header)).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
    expect(verifySignature("another-secret-value", req.body, header)).toMatchObject({ ok: false });
    const later = Math.floor(Date.now() / 1000) + 301;
    expect(verifySignature(SECRET, req.body, header, later)).toEqual({
      ok: false,
      reason: "timestamp outside tolerance (replay?)",
    });
  });

  it("renders a body template and signs the rendered body", async () => {
    const r = await receiver(() => ({ status: 200, body: "ok" }));
    const config = WebhookConfig.parse({
      kind: "webhook",
      url: r.url,
      method: "PUT",
      secret: SECRET,
      template: '{"msg": "{{title}}", "services": {{affected}}}',
    });
    const n = sampleNotification();
    expect(await webhookChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });
    const req = r.received[0]!;
    expect(req.method).toBe("PUT");
    expect(JSON.parse(req.body)).toEqual({ msg: n.title, services: ["api", "worker"] });
    expect(verifySignature(SECRET, req.body, req.headers["x-vigil-signature"] as string).ok).toBe(true);
  });

  it("rejects unknown template placeholders and bad URLs at config time", () => {
    const bad = WebhookConfig.safeParse({ kind: "webhook", url: "http://x", template: '"{{service}}"' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/unknown placeholder \{\{service\}\}/);
    expect(WebhookConfig.safeParse({ kind: "webhook", url: "ftp://x" }).success).toBe(false);
    expect(
      WebhookConfig.safeParse({ kind: "webhook", url: "http://x", headers: { "X-A": "a\r\nb" } }).success,
    ).toBe(false);
  });

  it("classifies receiver failures and keeps secrets out of the error", async () => {
    const r = await receiver((req, hit) =>
      hit === 1
        ? { status: 429, headers: { "retry-after": "3" } }
        : hit === 2
          ? { status: 500, body: `failed for ${req.headers.authorization}` }
          : { status: 401, body: "bad token" },
    );
    const config = WebhookConfig.parse({
      kind: "webhook",
      url: r.url,
      headers: { Authorization: "Bearer tok_abcdef" },
    });
    const n = sampleNotification();
    expect(await webhookChannel.send(config, n, deliveryContext())).toMatchObject({
      ok: false,
      status: 429,
      retryable: true,
      retryAfterMs: 3000,
    });
    const echoed = await webhookChannel.send(config, n, deliveryContext());
    expect(echoed).toMatchObject({ ok: false, status: 500, retryable: true });
    expect(echoed.ok ? "" : echoed.error).toBe("HTTP 500: failed for ***");
    expect(await webhookChannel.send(config, n, deliveryContext())).toMatchObject({
      ok: false,
      status: 401,
      retryable: false,
    });
  });
});
