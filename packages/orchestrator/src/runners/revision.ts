import { createHash } from "node:crypto";
import type { ServiceConfig } from "../config/schema.ts";

/**
 * The identity of what a service would run. Docker: the image ref. Process: a short sha256 of
 * command, env and cwd, so any change to what is executed is a new revision.
 */
export function revisionOf(service: ServiceConfig): string {
  if (service.kind === "docker") return service.image;
  if (service.kind === "external") return "external";
  const env = Object.fromEntries(Object.entries(service.env).sort(([a], [b]) => a.localeCompare(b)));
  const text = JSON.stringify({ command: service.command, env, cwd: service.cwd ?? null });
  return `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}
