import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { OpsgenieConfig, opsgenieBase, opsgenieChannel } from "./opsgenie.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const API_KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";
const accepted = {
  status: 202,
  body: { result: "Request will be processed", took: 0.1, requestId: "43a29c5c" },
};

describe("opsgenie channel", () => {
  it("creates with alias = incident key, acknowledges and closes by alias", async () => {
    const r = await pool.start(
      providerReceiver("opsgenie", {
        path: /^\/v2\/alerts(\/[^/]+\/(close|acknowledge)\?identifierType=alias)?$/,
        authorized: (req) => req.headers.authorization === `GenieKey ${API_KEY}`,
      }),
    );
    const config = OpsgenieConfig.parse({
      kind: "opsgenie",
      api_key: API_KEY,
      api_url: r.url,
      responders: [{ type: "team", name: "ops" }],
      tags: ["prod"],
    });
    const n = sampleNotification({ acknowledgedBy: "alice" });
    for (const event of ["trigger", "acknowledge", "resolve"] as const) {
      expect(await opsgenieChannel.send(config, { ...n, event }, deliveryContext())).toMatchObject({
        ok: true,
      });
    }
    const [create, ack, close] = r.received;
    for (const req of r.received) {
      expect(req.method).toBe("POST");
      expect(req.headers.authorization).toBe(`GenieKey ${API_KEY}`);
      expect(req.headers["content-type"]).toBe("application/json");
    }
    expect(create?.path).toBe("/v2/alerts");
    const body = JSON.parse(create!.body);
    expect(body).toMatchObject({
      alias: n.incidentKey,
      entity: "redis",
      source: "Vigil",
      priority: "P1",
      responders: [{ type: "team", name: "ops" }],
      tags: ["prod", "event:trigger"],
    });
    expect(body.message.length).toBeLessThanOrEqual(130);
    for (const value of Object.values(body.details)) expect(typeof value).toBe("string");
    expect(ack?.path).toBe(`/v2/alerts/${n.incidentKey}/acknowledge?identifierType=alias`);
    expect(JSON.parse(ack!.body)).toMatchObject({ user: "alice", source: "Vigil" });
    expect(close?.path).toBe(`/v2/alerts/${n.incidentKey}/close?identifierType=alias`);
  });

  it("uses the EU base URL when asked", () => {
    const config = OpsgenieConfig.parse({ kind: "opsgenie", api_key: API_KEY, region: "eu" });
    expect(opsgenieBase(config)).toBe("https://api.eu.opsgenie.com");
    expect(opsgenieBase({ ...config, region: "us" })).toBe("https://api.opsgenie.com");
    expect(OpsgenieConfig.safeParse({ kind: "opsgenie", api_key: API_KEY, region: "apac" }).success).toBe(
      false,
    );
  });

  it("classifies Alert API answers; the API key never shows in outcomes", async () => {
    const r = await pool.start(
      providerAnswers(accepted, {
        status: 422,
        body: { message: "Request body is not processable", took: 0 },
      }),
    );
    const config = OpsgenieConfig.parse({ kind: "opsgenie", api_key: API_KEY, api_url: r.url });
    const outcomes = await expectProviderClassification(
      () => opsgenieChannel.send(config, sampleNotification(), deliveryContext()),
      [API_KEY],
    );
    expect(outcomes[0]?.sent?.headers?.Authorization).toBe("GenieKey ***");
  });
});
