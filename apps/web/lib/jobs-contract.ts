import * as z from "zod";

/* The jobs REST contract (server/rest/jobs.ts), shared with the job page. */

export const JobRunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** ISO-8601: runs that started before this (the previous page's `next`). */
  before: z.iso.datetime({ offset: true }).optional(),
});

export const JobRunView = z.object({
  runId: z.string(),
  attempt: z.number().int(),
  trigger: z.string(),
  outcome: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  reason: z.string().nullable(),
  outputTail: z.array(z.string()),
});
export type JobRunView = z.infer<typeof JobRunView>;

export const JobRunsResponse = z.object({
  job: z.string(),
  nextRun: z.string().nullable(),
  /** Runs in flight now (a run with retries has rows before its last attempt ends). */
  running: z.number(),
  runs: z.array(JobRunView),
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  next: z.string().nullable(),
});
export type JobRunsResponse = z.infer<typeof JobRunsResponse>;

export const JobRunAccepted = z.object({ job: z.string(), runId: z.string() });
export type JobRunAccepted = z.infer<typeof JobRunAccepted>;
