import { z } from "zod";

/*
 * Field shapes shared by services and checks. They live apart from config/schema.ts so the check
 * kinds (probes/<kind>.ts) can use them without importing the whole config schema, which imports
 * the check registry in turn.
 */

/** `env` and `headers` maps: YAML scalars of any type, kept as strings. */
export const stringMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform(String),
);

/** A command as one shell line or an argv list. */
export const commandLine = z.union([z.string().min(1), z.array(z.string()).min(1)]);
