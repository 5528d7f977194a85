import { defineProject } from "vitest/config";
import { testRetry } from "../../scripts/test-retry.ts";

export default defineProject({
  test: {
    retry: testRetry,
    name: "db",
    include: ["src/**/*.test.ts"],
    testTimeout: 60000,
    hookTimeout: 120000,
  },
});
