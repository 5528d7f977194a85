import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { TeamsConfig, teamsChannel } from "./teams.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const FLOW_PATH =
  "/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGNATURE123";

describe("teams channel (Workflows)", () => {
  it("posts a message with one Adaptive Card attachment (not a MessageCard)", async () => {
    const r = await pool.start(providerReceiver("teams", { path: FLOW_PATH }));
    const config = TeamsConfig.parse({ kind: "teams", url: `${r.url}${FLOW_PATH}` });
    const n = sampleNotification();
    expect(await teamsChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true, status: 202 });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(FLOW_PATH);
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body);
    expect(body.type).toBe("message");
    expect(body["@type"]).toBeUndefined();
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment.contentUrl).toBeNull();
    const card = attachment.content;
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(card.$schema).toBe("http://adaptivecards.io/schemas/adaptive-card.json");
    expect(card.body[0]).toMatchObject({ type: "TextBlock", wrap: true, color: "attention" });
    expect(card.body[1].type).toBe("FactSet");
    expect(card.actions[0]).toEqual({ type: "Action.OpenUrl", title: "Service", url: n.links.service });
    const texts = [card.body[0].text, ...card.body[1].facts.map((f: { value: string }) => f.value)].join(
      "\n",
    );
    // HTML is shown as text by the card renderers; Markdown from service text is escaped.
    expect(texts).toContain("<b>&</b> \\*\\_~|");
    expect(texts).toContain("\\[a\\](http://e.vil)");
    expect(texts).not.toMatch(/(^|[^\\])\*/);
  });

  it("classifies the flow service's answers and keeps the signed URL out of outcomes", async () => {
    const r = await pool.start(
      providerAnswers({ status: 202 }, { status: 400, body: { error: { code: "InvalidTemplate" } } }),
    );
    const url = `${r.url}${FLOW_PATH}`;
    const config = TeamsConfig.parse({ kind: "teams", url });
    await expectProviderClassification(
      () => teamsChannel.send(config, sampleNotification(), deliveryContext()),
      [url, "SIGNATURE123"],
    );
  });
});
