import { createAlertQueries, createIncidentStore, createOutboxStore, type Db } from "@vigil/db";
import type { Config } from "@vigil/orchestrator";
import { errorMessage } from "../async.ts";
import type { AlertRouteDeps } from "./routes.ts";
import { AlertingRuntime } from "./runtime.ts";

/**
 * Alerting over the server's Postgres pool: the runtime, the reads its routes need, and a resume
 * of whatever a previous Vigil wrote to the outbox but never delivered.
 */
export function createAlerting(opts: {
  sql: Db["pool"];
  config: () => Config;
  redact: (text: string) => string;
  log: (line: string) => void;
  /** Cluster mode: only the leader sends (AlertingOptions.authorize). */
  authorize?: (key: string) => Promise<boolean>;
  /** Resume the outbox now (default); a cluster instance resumes when it becomes the leader instead. */
  resumeNow?: boolean;
}): AlertRouteDeps {
  const db = { pool: opts.sql };
  const incidents = createIncidentStore(db);
  const runtime = new AlertingRuntime({
    config: opts.config(),
    outbox: createOutboxStore(db),
    incidents,
    redact: opts.redact,
    log: opts.log,
    ...(opts.authorize ? { authorize: opts.authorize } : {}),
  });
  if (opts.resumeNow !== false) resumeOutbox(runtime, opts.log);
  return {
    runtime,
    incidents,
    queries: createAlertQueries(db),
    channels: () =>
      Object.fromEntries(Object.entries(opts.config().alerting.channels).map(([name, c]) => [name, c.kind])),
    services: () => Object.keys(opts.config().services),
  };
}

/** Delivers what a previous Vigil (or a previous leader) wrote to the outbox but never delivered. */
export function resumeOutbox(runtime: AlertingRuntime, log: (line: string) => void): void {
  runtime.resume(10_000).then(
    (count) => {
      if (count > 0) log(`alerting: delivering ${count} notification(s) left undelivered by the last run`);
    },
    (error: unknown) => log(`alerting: could not read the outbox to resume: ${errorMessage(error)}`),
  );
}
