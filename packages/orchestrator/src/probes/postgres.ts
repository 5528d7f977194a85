import { userInfo } from "node:os";
import pg from "pg";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { healthy, safeUrl } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe } from "./types.ts";

const VALUES = {
  value: {
    unit: "",
    description: "The first column of the query's first row, when it is a number (e.g. select count(*) ...).",
  },
} as const;

export const PostgresCheck = z
  .strictObject({
    kind: z.literal("postgres"),
    ...checkPolicy,
    url: z
      .string()
      .min(1)
      .describe("postgres://user:password@host:port/db (the password never appears in results)."),
    query: z.string().default("select 1").describe("Query that must succeed."),
    expect: z
      .strictObject(valueConditionFields(VALUES))
      .optional()
      .describe('Conditions on the query\'s value, e.g. { value: "== 0" }; failing one is unhealthy.'),
  })
  .describe("Connects to PostgreSQL and runs a query.");

export type PostgresCheckSpec = z.output<typeof PostgresCheck>;

export const postgresProbe: Probe<PostgresCheckSpec> = (spec, ctx) =>
  withClient<pg.Client>(
    ctx,
    {
      where: safeUrl(spec.url),
      secrets: { urls: [spec.url] },
      open: async (_signal, adopt) => {
        const client = new pg.Client({
          connectionString: withDefaultUser(spec.url),
          connectionTimeoutMillis: ctx.timeoutMs,
          query_timeout: ctx.timeoutMs,
          application_name: "vigil-probe",
        });
        // pg reports socket errors as events too; without a listener they would crash the process.
        client.on("error", () => {});
        adopt(client);
        await client.connect();
        return client;
      },
      close: (client) => client.end(),
    },
    async (client, step) => {
      const result = await step(client.query({ text: spec.query, rowMode: "array" }));
      const value = numberOf(result.rows[0]?.[0]);
      const verdict = healthy(`${safeUrl(spec.url)}: ${spec.query} ok`, { rows: result.rowCount });
      return judgeValues(
        value === undefined ? verdict : { ...verdict, values: { value } },
        spec.expect,
        "unhealthy",
      );
    },
  );

/** A number from a cell: numbers as they are, and the numeric text pg returns for count(*), numeric and bigint. */
function numberOf(cell: unknown): number | undefined {
  const n =
    typeof cell === "number"
      ? cell
      : typeof cell === "string" && cell.trim() !== ""
        ? Number(cell)
        : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Like libpq: no user in the URL means the OS user (pg alone reads $USER, unset under some runners). */
function withDefaultUser(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username !== "") return raw;
    url.username = encodeURIComponent(process.env.PGUSER || process.env.USER || userInfo().username);
    return url.toString();
  } catch {
    return raw;
  }
}

export const postgres: CheckKindDef<PostgresCheckSpec> = {
  schema: PostgresCheck,
  probe: postgresProbe,
  values: VALUES,
};
