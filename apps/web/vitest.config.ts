import { defineProject } from "vitest/config";
import { testRetry } from "../../scripts/test-retry.ts";

export default defineProject({
  test: {
    name: "web",
    retry: testRetry,
    include: ["*.test.ts", "server/**/*.test.ts", "lib/**/*.test.ts", "app/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests each create their own throwaway database; files run one at a time so
    // the embedded/real Postgres and probe timings stay predictable on a 2-core machine.
    fileParallelism: false,
  },
});
