import { defineConfig } from "vitest/config";

// One run over every workspace package; each package may add its own vitest.config.ts project.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/web"],
    reporters: ["default", "./scripts/flaky-reporter.ts"],
  },
});
