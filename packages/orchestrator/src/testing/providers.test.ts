import { describe, expect, it } from "vitest";
import { providerReceiver } from "./providers.ts";
import type { Received } from "./receiver.ts";

const request = (over: Partial<Received>): Received => ({
  method: "POST",
  path: "/v2/enqueue",
  headers: { "content-type": "application/json" },
  body: "{}",
  ...over,
});

/** The provider receivers must refuse drifted requests, or the channel tests built on them could not fail. */
describe("provider receivers", () => {
  const pagerduty = providerReceiver("pagerduty", { path: "/v2/enqueue" });
  const valid = {
    routing_key: "k",
    event_action: "trigger",
    payload: { summary: "s", source: "redis", severity: "critical" },
  };

  it("accept the documented request and answer like the provider", () => {
    expect(pagerduty(request({ body: JSON.stringify(valid) }))).toMatchObject({ status: 202 });
  });

  it("refuse a wrong path, method, content type, auth or shape", () => {
    expect(pagerduty(request({ path: "/v2/other", body: JSON.stringify(valid) })).status).toBe(404);
    expect(pagerduty(request({ method: "PUT", body: JSON.stringify(valid) })).status).toBe(405);
    expect(
      pagerduty(request({ headers: { "content-type": "text/plain" }, body: JSON.stringify(valid) })).status,
    ).toBe(400);
    const noSource = { ...valid, payload: { summary: "s", severity: "critical" } };
    expect(pagerduty(request({ body: JSON.stringify(noSource) }))).toMatchObject({
      status: 400,
      body: { status: "invalid event" },
    });
    const gotify = providerReceiver("gotify", {
      path: "/message",
      authorized: (r) => r.headers["x-gotify-key"] === "t",
    });
    expect(gotify(request({ path: "/message", body: '{"message":"m"}' })).status).toBe(401);
  });
});
