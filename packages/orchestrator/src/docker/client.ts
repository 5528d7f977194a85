import Docker from "dockerode";

/**
 * The one way Vigil reaches the Docker engine, for runners and probes alike. docker-modem reads
 * DOCKER_HOST (unix://, tcp://, ssh://), DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI
 * does, so Vigil talks to the engine `docker` talks to (a socket proxy, a TLS remote). Made per use:
 * it holds no connection of its own, and a module-level singleton would outlive config changes.
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

/** Errors of the connection itself: the engine did not answer at all (it may be fine; its host is not). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EAI_AGAIN",
]);

/** Whether an error means the engine could not be reached, as opposed to an answer from it. */
export function engineUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && UNREACHABLE.has(code);
}
