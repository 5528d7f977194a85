import { isPlainMap } from "../config/merge.ts";
import { CHANNELS } from "../notify/registry.ts";
import { secretValues } from "../notify/support/define.ts";

/**
 * Secret values in `alerting.channels` (tokens, routing keys, webhook URLs that are credentials):
 * each channel kind names its own secret fields. Works on the raw config so that errors about an
 * invalid config are redacted too.
 */
export function channelSecrets(root: unknown): string[] {
  const alerting = isPlainMap(root) ? root.alerting : undefined;
  const channels =
    isPlainMap(alerting) && isPlainMap(alerting.channels) ? Object.values(alerting.channels) : [];
  const found: string[] = [];
  for (const entry of channels) {
    if (!isPlainMap(entry) || typeof entry.kind !== "string" || !Object.hasOwn(CHANNELS, entry.kind))
      continue;
    const channel = CHANNELS[entry.kind as keyof typeof CHANNELS];
    found.push(...secretValues(entry, channel.secretFields));
  }
  return found;
}
