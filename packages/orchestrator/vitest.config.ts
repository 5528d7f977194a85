import { defineProject } from "vitest/config";
import { testRetry } from "../../scripts/test-retry.ts";

export default defineProject({
  test: {
    retry: testRetry,
    name: "orchestrator",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
