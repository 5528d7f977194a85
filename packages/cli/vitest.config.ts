import { defineProject } from "vitest/config";
import { testRetry } from "../../scripts/test-retry.ts";

export default defineProject({
  test: {
    retry: testRetry,
    name: "cli",
    include: ["src/**/*.test.ts"],
    testTimeout: 120000,
    hookTimeout: 120000,
  },
});
