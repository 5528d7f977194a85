import { ConfigError, GraphError } from "@vigil/orchestrator";
import { EXIT, type ExitCode, UsageError } from "./exit.ts";
import type { CliIo } from "./io.ts";

/**
 * Turns anything a command throws into a message on stderr and an exit code. Config errors are
 * printed exactly as the loader formatted them (file:line:col and field path), nothing added.
 */
export function reportError(
  io: CliIo,
  error: unknown,
  redact: (text: string) => string = (t) => t,
): ExitCode {
  if (error instanceof ConfigError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  const message = redact(error instanceof Error ? error.message : String(error));
  if (error instanceof UsageError || error instanceof GraphError) {
    io.stderr.write(`error: ${message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`error: ${message}\n`);
  return EXIT.failed;
}
