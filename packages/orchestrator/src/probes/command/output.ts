import type { CommandCheckSpec } from "../command.ts";
import { healthy, unhealthy } from "../support/result.ts";
import type { ProbeResult } from "../types.ts";

/** Output kept per run: enough to match and to show, bounded so a chatty command cannot grow memory. */
export const MAX_OUTPUT = 64 * 1024;

export function appendCapped(buffer: string, chunk: Buffer | string): string {
  return buffer.length >= MAX_OUTPUT ? buffer : (buffer + chunk.toString()).slice(0, MAX_OUTPUT);
}

/** Judges a finished command (host or container) against the spec's expectations. */
export function judgeCommand(
  spec: CommandCheckSpec,
  exitCode: number | null,
  output: string,
  where: string,
): ProbeResult {
  const expected = Array.isArray(spec.expect_exit) ? spec.expect_exit : [spec.expect_exit];
  const tail = output.trim().split("\n").slice(-3).join(" | ").slice(0, 300);
  const details = { exitCode, output: output.slice(-4096) };
  if (exitCode === null || !expected.includes(exitCode)) {
    const got = exitCode === null ? "was killed" : `exited ${exitCode}`;
    return unhealthy(
      `${where} ${got} (expected ${expected.join(" or ")})${tail ? `: ${tail}` : ""}`,
      details,
    );
  }
  if (spec.output_contains !== undefined && !output.includes(spec.output_contains)) {
    return unhealthy(`output does not contain ${JSON.stringify(spec.output_contains)}`, details);
  }
  if (spec.output_regex !== undefined && !new RegExp(spec.output_regex).test(output)) {
    return unhealthy(`output does not match /${spec.output_regex}/`, details);
  }
  return healthy(`exit ${exitCode}${tail ? `: ${tail}` : ""}`, details);
}

/** argv for a command line: a string runs through `sh -c` so pipes and `||` work as in a HEALTHCHECK. */
export function argv(command: CommandCheckSpec["command"]): string[] {
  return typeof command === "string" ? ["sh", "-c", command] : command;
}

export function shortCommand(command: CommandCheckSpec["command"]): string {
  const text = typeof command === "string" ? command : command.join(" ");
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
