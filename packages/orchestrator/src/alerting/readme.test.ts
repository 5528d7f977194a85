import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/parse.ts";

/** The README's alerting example is real config: it loads as written. */
describe("README alerting example", () => {
  it("validates", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const block = /<!-- alerting:begin[^>]*-->\s*```yaml\n([\s\S]*?)```\s*<!-- alerting:end -->/.exec(
      readme,
    )?.[1];
    expect(block).toBeDefined();
    const environ = {
      VIGIL_HOOK_SECRET: "0123456789abcdef0123",
      PD_ROUTING_KEY: "R0123456789abcdef0123456789abcde",
    };
    const { config } = parseConfigText(block ?? "", "README.md", environ);
    expect(Object.keys(config.alerting.channels)).toEqual(["ops", "pager"]);
    expect(config.alerting.routes.map((r) => r.name)).toEqual(["oncall", "team"]);
  });
});
