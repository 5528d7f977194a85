/**
 * Retries for a failed test: one under CI, where a lost race must not throw away a whole run
 * (scripts/flaky-reporter.ts lists every test that needed it), none locally, where a failure
 * should be seen at once.
 */
export const testRetry = process.env.CI ? 1 : 0;
