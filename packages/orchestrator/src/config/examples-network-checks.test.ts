import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./index.ts";

const dir = fileURLToPath(new URL("../../../../examples/checks/", import.meta.url));

// examples/checks/{dns,tls,grpc,push}.yaml load as they are and use only the kind they are named after.
describe("examples/checks for dns, tls, grpc and push", () => {
  it.each(["dns", "tls", "grpc", "push"])("%s.yaml loads and uses its kind", async (kind) => {
    const { config } = await loadConfig({ path: `${dir}${kind}.yaml`, environ: {} });
    const kinds = Object.values(config.services).flatMap((s) => s.checks.map((c) => c.kind));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set([kind]));
  });

  it("parses the push schedule, grace and duration condition", async () => {
    const { config } = await loadConfig({ path: `${dir}push.yaml`, environ: {} });
    expect(config.services.backups?.checks[0]).toMatchObject({
      kind: "push",
      schedule: "0 3 * * *",
      timezone: "Europe/Berlin",
      grace: 1_800_000,
      expect: { duration_ms: [{ op: "<=", threshold: 1_200_000 }] },
    });
  });
});
