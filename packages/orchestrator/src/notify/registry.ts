import { z } from "zod";
import { commandChannel } from "./channels/command.ts";
import { discordChannel } from "./channels/discord.ts";
import { emailChannel } from "./channels/email.ts";
import { gotifyChannel } from "./channels/gotify.ts";
import { matrixChannel } from "./channels/matrix.ts";
import { mattermostChannel } from "./channels/mattermost.ts";
import { ntfyChannel } from "./channels/ntfy.ts";
import { opsgenieChannel } from "./channels/opsgenie.ts";
import { pagerDutyChannel } from "./channels/pagerduty.ts";
import { pushoverChannel } from "./channels/pushover.ts";
import { slackChannel } from "./channels/slack.ts";
import { teamsChannel } from "./channels/teams.ts";
import { telegramChannel } from "./channels/telegram.ts";
import { webhookChannel } from "./channels/webhook.ts";
import type { ChannelSchema, DefinedChannel } from "./support/define.ts";
import type { ChannelContext, DeliveryOutcome, Notification } from "./types.ts";

/** kind → channel. Adding a channel = one file in channels/ + one line here + its test. */
export const CHANNELS = Object.freeze({
  webhook: webhookChannel,
  slack: slackChannel,
  discord: discordChannel,
  teams: teamsChannel,
  mattermost: mattermostChannel,
  telegram: telegramChannel,
  ntfy: ntfyChannel,
  gotify: gotifyChannel,
  pushover: pushoverChannel,
  matrix: matrixChannel,
  pagerduty: pagerDutyChannel,
  opsgenie: opsgenieChannel,
  email: emailChannel,
  command: commandChannel,
});

export type ChannelKind = keyof typeof CHANNELS;
export const CHANNEL_KINDS = Object.keys(CHANNELS) as ChannelKind[];

/** The validated config of one declared channel, discriminated by `kind`. */
export type ChannelConfig = {
  [K in ChannelKind]: z.output<(typeof CHANNELS)[K]["schema"]>;
}[ChannelKind];

type AnyChannel = DefinedChannel<ChannelSchema>;
const schemas = Object.values(CHANNELS).map((channel: AnyChannel) => channel.schema);

/** The union of every channel's config schema, derived from the registry (for vigil.yaml `alerting.channels`). */
export const ChannelConfigSchema = z.discriminatedUnion(
  "kind",
  schemas as [ChannelSchema, ...ChannelSchema[]],
) as unknown as z.ZodType<ChannelConfig, unknown>;

export function channelFor<K extends ChannelKind>(kind: K): (typeof CHANNELS)[K] {
  const channel = CHANNELS[kind];
  if (!channel) throw new Error(`unknown channel kind "${kind}" (known: ${CHANNEL_KINDS.join(", ")})`);
  return channel;
}

/** The channel a config names, typed for any kind (the config was validated by ChannelConfigSchema). */
function channelOf(config: ChannelConfig): AnyChannel {
  return channelFor(config.kind) as unknown as AnyChannel;
}

/** Sends with the channel its config names: the one entry point the delivery worker needs. */
export function sendWith(
  config: ChannelConfig,
  notification: Notification,
  ctx: ChannelContext,
): Promise<DeliveryOutcome> {
  return channelOf(config).send(config, notification, ctx);
}

/** Every secret value in a channel config, longest first (for redacting logs, the delivery log and API answers). */
export function secretsOf(config: ChannelConfig): string[] {
  return channelOf(config).secrets(config);
}
