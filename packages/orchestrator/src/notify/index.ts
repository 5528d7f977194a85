export {
  CHANNEL_KINDS,
  CHANNELS,
  type ChannelConfig,
  ChannelConfigSchema,
  type ChannelKind,
  channelFor,
  secretsOf,
  sendWith,
} from "./registry.ts";
export { scrub, secretValues } from "./support/define.ts";
export { parseRetryAfter } from "./support/http.ts";
export {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  signBody,
  verifySignature,
} from "./support/signature.ts";
export * from "./types.ts";
