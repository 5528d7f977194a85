import { relative } from "node:path";
import type { Reporter, TestCase } from "vitest/node";

/*
 * CI retries a failed Vitest test once (retry in each project's config): real Postgres, Docker and
 * brokers on two busy cores sometimes lose a race a test did not mean to run. A test that passed
 * only on its retry is still a bug, so it is listed here, at the end of the run, where it cannot
 * be missed.
 */
export default class FlakyReporter implements Reporter {
  readonly #flaky: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const diagnostic = test.diagnostic();
    if (!diagnostic?.flaky) return;
    const file = relative(process.cwd(), test.module.moduleId);
    // A retried pass keeps the errors of the attempts that failed: they say what race was lost.
    const errors = (test.result().errors ?? []).map(
      (e) => `      ${(e.stack ?? e.message).split("\n").slice(0, 6).join("\n      ")}`,
    );
    this.#flaky.push(
      [
        `${test.project.name} ${file} › ${test.fullName} (passed after ${diagnostic.retryCount} retry)`,
        ...errors,
      ].join("\n"),
    );
  }

  onTestRunEnd(): void {
    if (this.#flaky.length === 0) return;
    const lines = [
      "",
      `FLAKY: ${this.#flaky.length} test(s) failed, then passed on retry — each is a bug to fix:`,
      ...this.#flaky.map((line) => `  - ${line}`),
      "",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
