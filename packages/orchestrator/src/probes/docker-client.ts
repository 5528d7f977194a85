import Docker from "dockerode";

/**
 * A client for the local engine (DOCKER_HOST or the default socket). Made per use: it holds no
 * connection of its own, and a module-level singleton would outlive config changes.
 */
export function dockerClient(): Docker {
  return new Docker();
}

/** Docker API errors carry the engine's JSON message; show that rather than the HTTP wrapper. */
export function dockerErrorText(error: unknown): string {
  const json = (error as { json?: { message?: unknown } }).json;
  if (json && typeof json.message === "string") return json.message;
  return error instanceof Error ? error.message : String(error);
}
