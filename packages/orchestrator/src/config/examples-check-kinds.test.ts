import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./index.ts";

const dir = fileURLToPath(new URL("../../../../examples/checks/", import.meta.url));

// examples/checks/vigil.<kind>.yaml: each loads as it is, and shows the kind it is named after.
describe("examples/checks", () => {
  it("has one loadable file per check kind, using that kind", async () => {
    const files = (await readdir(dir)).filter((file) => /^vigil\.[\w-]+\.yaml$/.test(file));
    expect(files).toEqual(
      expect.arrayContaining(
        ["amqp", "icmp", "mqtt", "mysql", "smtp", "websocket"].map((kind) => `vigil.${kind}.yaml`),
      ),
    );
    for (const file of files) {
      const { config } = await loadConfig({ path: `${dir}${file}`, environ: {} });
      const kinds = Object.values(config.services).flatMap((service) =>
        service.checks.map((check) => check.kind),
      );
      expect(kinds.length, file).toBeGreaterThan(0);
      expect(new Set(kinds), file).toEqual(new Set([file.replace(/^vigil\.|\.yaml$/g, "")]));
    }
  });
});
