import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { SlackConfig, slackChannel } from "./slack.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const HOOK_PATH = "/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX";

describe("slack channel", () => {
  it("posts Block Kit with a text fallback; service text cannot mention or link", async () => {
    const r = await pool.start(providerReceiver("slack", { path: HOOK_PATH }));
    const config = SlackConfig.parse({ kind: "slack", url: `${r.url}${HOOK_PATH}` });
    const outcome = await slackChannel.send(config, sampleNotification(), deliveryContext());
    expect(outcome).toMatchObject({ ok: true, status: 200, response: "ok" });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toMatch(/^application\/json/);
    const body = JSON.parse(req.body);
    expect(typeof body.text).toBe("string");
    expect(body.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
    expect(body.blocks[1].type).toBe("section");
    expect(body.blocks[2].type).toBe("context");
    for (const field of body.blocks[1].fields) expect(field.type).toBe("mrkdwn");

    // Every mrkdwn string: no raw <!channel>, no raw & or < from service text.
    const mrkdwn = [body.text, ...body.blocks[1].fields.map((f: { text: string }) => f.text)].join("\n");
    expect(mrkdwn).not.toContain("<!channel>");
    expect(mrkdwn).toContain("&lt;!channel&gt;");
    expect(mrkdwn).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    // Links are Slack link syntax built by us.
    expect(body.blocks[2].elements[0].text).toMatch(
      /^<https:\/\/vigil\.example\/services\/redis\?from=.*&amp;to=.*\|Service>/,
    );
  });

  it("classifies Slack's answers and keeps the hook URL out of outcomes", async () => {
    const r = await pool.start(
      providerAnswers({ status: 200, body: "ok" }, { status: 403, body: "invalid_token" }),
    );
    const url = `${r.url}${HOOK_PATH}`;
    const config = SlackConfig.parse({ kind: "slack", url });
    const outcomes = await expectProviderClassification(
      () => slackChannel.send(config, sampleNotification(), deliveryContext()),
      [url, HOOK_PATH],
    );
    expect(outcomes[0]?.sent?.target).toBe(`${r.url}/***`);
    expect(outcomes[3]).toMatchObject({ status: 403, error: "HTTP 403: invalid_token" });
  });
});
