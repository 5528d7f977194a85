import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { PagerDutyConfig, pagerDutyChannel } from "./pagerduty.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const ROUTING_KEY = "R0123456789ABCDEF0123456789ABCDE";
const accepted = { status: 202, body: { status: "success", message: "Event processed", dedup_key: "k" } };

describe("pagerduty channel", () => {
  it("triggers, acknowledges and resolves one alert with dedup_key = incident key", async () => {
    const r = await pool.start(providerReceiver("pagerduty", { path: "/v2/enqueue" }));
    const config = PagerDutyConfig.parse({ kind: "pagerduty", routing_key: ROUTING_KEY, api_url: r.url });
    const n = sampleNotification();
    for (const event of ["trigger", "reminder", "acknowledge", "resolve"] as const) {
      expect(await pagerDutyChannel.send(config, { ...n, event }, deliveryContext())).toMatchObject({
        ok: true,
        status: 202,
      });
    }
    for (const req of r.received) {
      expect(req.method).toBe("POST");
      expect(req.path).toBe("/v2/enqueue");
      expect(req.headers["content-type"]).toBe("application/json");
    }
    const [trigger, reminder, ack, resolve] = r.received.map((req) => JSON.parse(req.body));
    expect(trigger).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: "trigger",
      dedup_key: n.incidentKey,
      payload: {
        summary: n.title,
        source: "redis",
        severity: "critical",
        timestamp: n.at,
        component: "redis",
        group: "data",
        custom_details: { reason: n.reason, blocked_services: ["api", "worker"] },
      },
      links: [
        { href: n.links.service, text: "Vigil: redis" },
        { href: n.links.incident, text: "Vigil incident" },
      ],
    });
    expect(reminder).toMatchObject({ event_action: "trigger", dedup_key: n.incidentKey });
    expect(ack).toEqual({ routing_key: ROUTING_KEY, event_action: "acknowledge", dedup_key: n.incidentKey });
    expect(resolve).toEqual({ routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: n.incidentKey });
  });

  it("a test event gets its own dedup key, never the incident's", async () => {
    const r = await pool.start(() => accepted);
    const config = PagerDutyConfig.parse({ kind: "pagerduty", routing_key: ROUTING_KEY, api_url: r.url });
    const n = sampleNotification({ event: "test", severity: "info" });
    await pagerDutyChannel.send(config, n, deliveryContext());
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ dedup_key: n.id, payload: { severity: "info" } });
  });

  it("classifies Events API answers; the routing key never shows in outcomes", async () => {
    const r = await pool.start(
      providerAnswers(accepted, {
        status: 400,
        body: { status: "invalid event", errors: ["'routing_key' is invalid"] },
      }),
    );
    const config = PagerDutyConfig.parse({ kind: "pagerduty", routing_key: ROUTING_KEY, api_url: r.url });
    const outcomes = await expectProviderClassification(
      () => pagerDutyChannel.send(config, sampleNotification(), deliveryContext()),
      [ROUTING_KEY],
    );
    expect(outcomes[0]?.sent?.body).toContain('"routing_key":"***"');
  });
});
