/*
 * Microsoft Teams through a Workflows (Power Automate) "When a Teams webhook request is received"
 * trigger, which accepts an Adaptive Card attachment (the retired O365 connector MessageCard is not
 * supported by Workflows).
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
 * https://adaptivecards.io/explorer/ (AdaptiveCard 1.4, TextBlock, FactSet, Action.OpenUrl)
 * Answers: 202 Accepted; 400 on a malformed card; 429 / 5xx from the flow service.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { escapeAdaptiveCard } from "../support/escape.ts";
import { httpUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { messageParts } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const TeamsConfig = z
  .object({
    kind: z.literal("teams"),
    /** The workflow's HTTP trigger URL (it carries a `sig=` signature: a secret). */
    url: httpUrl,
  })
  .strict();
export type TeamsConfig = z.output<typeof TeamsConfig>;

function colourName(n: Notification): "good" | "warning" | "attention" | "accent" {
  if (n.event === "resolve") return "good";
  if (n.event === "acknowledge" || n.event === "test") return "accent";
  return n.severity === "critical" ? "attention" : "warning";
}

export function teamsPayload(n: Notification): object {
  const parts = messageParts(n);
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body: [
            {
              type: "TextBlock",
              text: escapeAdaptiveCard(parts.headline),
              weight: "Bolder",
              size: "Medium",
              color: colourName(n),
              wrap: true,
            },
            {
              type: "FactSet",
              facts: parts.facts.map((f) => ({ title: f.name, value: escapeAdaptiveCard(f.value) })),
            },
          ],
          actions: parts.links.map((l) => ({ type: "Action.OpenUrl", title: l.text, url: l.url })),
        },
      },
    ],
  };
}

export const teamsChannel = defineChannel({
  kind: "teams",
  schema: TeamsConfig,
  secretFields: ["url"],
  send: (config, n, ctx) => postJson(config.url, teamsPayload(n), ctx),
});
