import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { substitute } from "../config/substitute.ts";
import { CHANNEL_KINDS, ChannelConfigSchema } from "./registry.ts";

/** The README's channel examples are real config: every kind is shown and every example validates. */
describe("README notification channel examples", () => {
  const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
  const block =
    /<!-- notify-channels:begin[^>]*-->\s*```yaml\n([\s\S]*?)```\s*<!-- notify-channels:end -->/.exec(
      readme,
    )?.[1];

  it("validate with the registry's union and cover every channel kind", () => {
    expect(block).toBeDefined();
    const environ = new Proxy<Record<string, string>>(
      { TELEGRAM_BOT_TOKEN: "123456:ABC-def" },
      {
        get: (known, name: string) =>
          known[name] ?? (name.endsWith("_URL") ? "https://example.com/x" : "secret-value-123456"),
      },
    );
    const text = substitute(block ?? "", environ).value;
    const channels = (parse(text) as { alerting: { channels: Record<string, unknown> } }).alerting.channels;
    const kinds = new Set<string>();
    for (const [name, raw] of Object.entries(channels)) {
      const parsed = ChannelConfigSchema.safeParse(raw);
      expect(parsed.error?.issues ?? [], name).toEqual([]);
      if (parsed.success) kinds.add(parsed.data.kind);
    }
    expect([...kinds].sort()).toEqual([...CHANNEL_KINDS].sort());
  });
});
