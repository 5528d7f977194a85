import { type Connection, createConnection } from "mysql2";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { healthy, safeUrl, unhealthy } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe, ValueInfo } from "./types.ts";

const MYSQL_VALUES = {
  answer: { unit: "", description: "The query's first value, when it is a number." },
} as const satisfies Record<string, ValueInfo>;

export const MysqlCheck = z
  .strictObject({
    kind: z.literal("mysql"),
    ...checkPolicy,
    url: z
      .string()
      .min(1)
      .default("mysql://root@127.0.0.1:3306")
      .describe("mysql://user[:password]@host:port[/database] (the password never appears in results)."),
    query: z
      .string()
      .min(1)
      .optional()
      .describe("Run this instead of a PING; the first column of its first row is the answer."),
    expect: z
      .strictObject({
        equals: z
          .union([z.string(), z.number(), z.boolean()])
          .optional()
          .describe('The answer must be this (compared as text: 1 matches an integer 1 or "1").'),
        ...valueConditionFields(MYSQL_VALUES),
      })
      .optional()
      .describe('Conditions on the answer, e.g. { equals: "ON" } or { answer: "<= 100" }.'),
  })
  .refine((c) => c.expect === undefined || c.query !== undefined, {
    message: "expect needs a query whose answer it checks",
    path: ["expect"],
  })
  .describe("Connects to MariaDB or MySQL and PINGs, or runs a query and checks its answer.");

export type MysqlCheckSpec = z.output<typeof MysqlCheck>;

export const mysqlProbe: Probe<MysqlCheckSpec> = (spec, ctx) => {
  const where = safeUrl(spec.url);
  return withClient<Connection>(
    ctx,
    {
      where,
      secrets: { urls: [spec.url] },
      open: async (_signal, adopt) => {
        const conn = createConnection({ uri: spec.url, connectTimeout: ctx.timeoutMs });
        // Socket errors also arrive as events; without a listener they would crash the process.
        conn.on("error", () => {});
        adopt(conn);
        await conn.promise().connect();
        return conn;
      },
      close: (conn) => conn.destroy(),
    },
    async (conn, step) => {
      const client = conn.promise();
      if (spec.query === undefined) {
        await step(client.ping());
        return healthy(`${where}: ping ok`);
      }
      const [rows] = await step(client.query({ sql: spec.query, timeout: ctx.timeoutMs, rowsAsArray: true }));
      return judgeAnswer(spec, where, firstValue(rows));
    },
  );
};

/** Maps a query's answer to a result: `equals` first, then the numeric conditions on `answer`. */
export function judgeAnswer(
  spec: Pick<MysqlCheckSpec, "query" | "expect">,
  where: string,
  answer: string | null,
) {
  const details = { answer };
  const shown = answer ?? "no rows";
  const equals = spec.expect?.equals;
  if (equals !== undefined && answer !== String(equals)) {
    return unhealthy(`${where}: ${spec.query} gave ${shown}, expected ${equals}`, details);
  }
  const number = answer === null || answer.trim() === "" ? Number.NaN : Number(answer);
  const result = healthy(`${where}: ${spec.query} = ${shown}`, details);
  const { equals: _, ...conditions } = spec.expect ?? {};
  return judgeValues(
    Number.isFinite(number) ? { ...result, values: { answer: number } } : result,
    conditions,
    "unhealthy",
  );
}

/** The first column of the first row as text (null for no rows or SQL NULL), whatever the statement returned. */
export function firstValue(rows: unknown): string | null {
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const row: unknown = rows[0];
  const value: unknown = Array.isArray(row) ? row[0] : row;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return String(value);
}

export const mysql: CheckKindDef<MysqlCheckSpec> = {
  schema: MysqlCheck,
  probe: mysqlProbe,
  values: MYSQL_VALUES,
};
