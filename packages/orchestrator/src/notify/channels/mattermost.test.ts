import { afterEach, describe, expect, it } from "vitest";
import { expectProviderClassification } from "../../testing/channel-contract.ts";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { providerReceiver } from "../../testing/providers.ts";
import { providerAnswers, receiverPool } from "../../testing/receiver.ts";
import { MattermostConfig, mattermostChannel } from "./mattermost.ts";

const pool = receiverPool();
afterEach(pool.closeAll);

const HOOK_PATH = "/hooks/xx3kfmpwhjbsu8bbb9kqgfu1wq";

describe("mattermost channel", () => {
  it("posts an incoming-webhook message with one attachment; mentions and markdown neutralised", async () => {
    const r = await pool.start(providerReceiver("mattermost", { path: HOOK_PATH }));
    const config = MattermostConfig.parse({
      kind: "mattermost",
      url: `${r.url}${HOOK_PATH}`,
      channel: "ops",
      username: "vigil",
    });
    const n = sampleNotification({ event: "resolve" });
    expect(await mattermostChannel.send(config, n, deliveryContext())).toMatchObject({ ok: true });

    const req = r.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(HOOK_PATH);
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ channel: "ops", username: "vigil" });
    const [attachment] = body.attachments;
    expect(attachment).toMatchObject({ color: "#2eb67d", title_link: n.links.incident });
    expect(typeof attachment.fallback).toBe("string");
    for (const field of attachment.fields) {
      expect(Object.keys(field).sort()).toEqual(["short", "title", "value"]);
      expect(field.value).not.toMatch(/@(everyone|here|channel|all)\b/);
    }
    expect(attachment.title).not.toMatch(/@(everyone|here|channel|all)\b/);
    expect(attachment.title).toContain("\\*\\_\\~\\|");
  });

  it("classifies Mattermost's answers and keeps the hook key out of outcomes", async () => {
    const r = await pool.start(
      providerAnswers(
        { status: 200, body: "ok" },
        { status: 400, body: { id: "web.incoming_webhook.parse.app_error" } },
      ),
    );
    const url = `${r.url}${HOOK_PATH}`;
    const config = MattermostConfig.parse({ kind: "mattermost", url });
    await expectProviderClassification(
      () => mattermostChannel.send(config, sampleNotification(), deliveryContext()),
      [url],
    );
  });
});
