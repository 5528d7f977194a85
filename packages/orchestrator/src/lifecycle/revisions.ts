import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ServiceConfig } from "../config/schema.ts";

/** Enough of a service's config to run that revision again. */
export type RevisionSpec =
  | { kind: "docker"; image: string }
  | { kind: "process"; command: string | string[]; env: Record<string, string>; cwd?: string }
  | { kind: "external" };

export type RevisionOutcome = "starting" | "started" | "healthy" | "failed" | "rolled-back";

export interface RevisionEntry {
  revision: string;
  /** ISO-8601 UTC. */
  at: string;
  outcome: RevisionOutcome;
  message?: string;
  spec: RevisionSpec;
}

export function specOf(service: ServiceConfig): RevisionSpec {
  if (service.kind === "docker") return { kind: "docker", image: service.image };
  if (service.kind === "external") return { kind: "external" };
  return {
    kind: "process",
    // A job that runs an image, a backup or a drill has no command of its own.
    command: service.command ?? "",
    env: service.env,
    ...(service.cwd ? { cwd: service.cwd } : {}),
  };
}

/** The service config with a recorded revision's image or command/env/cwd put back. */
export function applySpec(service: ServiceConfig, spec: RevisionSpec): ServiceConfig {
  if (service.kind === "docker" && spec.kind === "docker") return { ...service, image: spec.image };
  if (service.kind === "process" && spec.kind === "process") {
    return { ...service, command: spec.command, env: spec.env, cwd: spec.cwd };
  }
  return service;
}

/**
 * `<stateDir>/revisions.json`: the last `keep` starts of each service with time and outcome, so
 * rollback knows what ran before. Written whole and renamed, so a crash never leaves half a file.
 */
export class RevisionStore {
  #data: Record<string, RevisionEntry[]>;

  constructor(
    private readonly file: string,
    private readonly keep = 10,
  ) {
    try {
      this.#data = JSON.parse(readFileSync(file, "utf8")) as Record<string, RevisionEntry[]>;
    } catch {
      this.#data = {};
    }
  }

  history(service: string): RevisionEntry[] {
    return [...(this.#data[service] ?? [])];
  }

  record(service: string, revision: string, spec: RevisionSpec): void {
    const list = this.#data[service] ?? [];
    list.push({ revision, at: new Date().toISOString(), outcome: "starting", spec });
    this.#data[service] = list.slice(-this.keep);
    this.#save();
  }

  /** Sets the outcome of the newest entry of `revision`. */
  finish(service: string, revision: string, outcome: RevisionOutcome, message?: string): void {
    const entry = this.#data[service]?.findLast((e) => e.revision === revision);
    if (!entry) return;
    entry.outcome = outcome;
    if (message !== undefined) entry.message = message;
    this.#save();
  }

  /** The newest revision other than `current` that ran fine: what a rollback returns to. */
  previous(service: string, current: string): RevisionEntry | undefined {
    return this.#data[service]?.findLast(
      (e) => e.revision !== current && (e.outcome === "healthy" || e.outcome === "started"),
    );
  }

  /** The newest recorded failure of `revision`, if any. */
  failure(service: string, revision: string): RevisionEntry | undefined {
    return this.#data[service]?.findLast((e) => e.revision === revision && e.message !== undefined);
  }

  #save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.#data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
