import { Cron } from "croner";
import { z } from "zod";

/** A cron expression croner accepts, checked here so the error points at the YAML line. */
export const schedule = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      new Cron(text, { paused: true });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `invalid cron expression: ${(error as Error).message}` });
    }
  });

export const timezone = z.string().superRefine((tz, ctx) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    ctx.addIssue({
      code: "custom",
      message: `unknown time zone "${tz}" (use an IANA name like Europe/Berlin)`,
    });
  }
});

/** How long copies stay: by age, by count, or both (a copy goes when either says so). */
const retention = z
  .strictObject({
    keep_days: z.number().int().min(1).optional().describe("Copies older than this many days are deleted."),
    keep_copies: z.number().int().min(1).optional().describe("At most this many copies are kept."),
  })
  .default({ keep_copies: 7 })
  .describe("Retention; the newest copy and the newest copy a drill passed on are never deleted.");

const destination = z
  .string()
  .min(1)
  .describe("Directory the copies go to (created 0700; each copy 0600), relative to the config file.");

const postgresBackup = z
  .strictObject({
    type: z.literal("postgres").describe("pg_dump -Fc of one database."),
    url: z.string().min(1).optional().describe("postgres://user:password@host:port/db"),
    database: z.string().min(1).optional().describe("Database to dump (overrides the URL's)."),
    destination,
    retention,
  })
  .refine((b) => b.url !== undefined || b.database !== undefined, {
    message: "a postgres backup needs url or database",
    path: ["url"],
  });

const redisBackup = z.strictObject({
  type: z.literal("redis").describe("BGSAVE, then a copy of the RDB file (redis-cli --rdb if remote)."),
  url: z.string().min(1).default("redis://127.0.0.1:6379"),
  destination,
  retention,
});

const filesBackup = z
  .strictObject({
    type: z.literal("files").describe("A gzip'd tar of directories or of a Docker volume."),
    paths: z
      .array(z.string().min(1))
      .default([])
      .describe("Files or directories (relative to the config file)."),
    volume: z.string().min(1).optional().describe("A Docker volume by name, read at its mount point."),
    destination,
    retention,
  })
  .refine((b) => b.paths.length > 0 !== (b.volume !== undefined), {
    message: "a files backup needs paths or volume (one of them)",
    path: ["paths"],
  });

export const backupTemplate = z.discriminatedUnion("type", [postgresBackup, redisBackup, filesBackup]);

export const drill = z.strictObject({
  of: z.string().min(1).describe("The postgres backup job whose newest copy is restored."),
  check: z.string().min(1).describe("SQL run on the restored database, e.g. SELECT count(*) FROM users"),
  expect: z
    .strictObject({
      min_rows: z.number().int().min(0).optional().describe("At least this many rows (default 1)."),
      equals: z.string().optional().describe("The first column of the first row, as text."),
    })
    .default({}),
  url: z
    .string()
    .min(1)
    .optional()
    .describe("Server the scratch database is created on (default: the backup's)."),
});
