import type { Config } from "@vigil/orchestrator";
import type { LiveState } from "../live/state.ts";

/** What REST handlers reach: the live board (engine + store + trackers) and config redaction. */
export interface RestDeps {
  live: LiveState;
  /** The running config with secrets masked, as loadConfig's redactor returns it. */
  redactedConfig(): Config;
}
