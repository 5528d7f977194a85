import { userInfo } from "node:os";
import pg from "pg";
import type { PostgresCheckSpec } from "../config/schema.ts";
import { errorText, healthy, safeUrl, scrubPassword, unhealthy, whenAborted } from "./result.ts";
import type { Probe } from "./types.ts";

export const postgresProbe: Probe<PostgresCheckSpec> = async (spec, ctx) => {
  const where = safeUrl(spec.url);
  const client = new pg.Client({
    connectionString: withDefaultUser(spec.url),
    connectionTimeoutMillis: ctx.timeoutMs,
    query_timeout: ctx.timeoutMs,
    application_name: "vigil-probe",
  });
  // pg reports socket errors as events too; without a listener they would crash the process.
  client.on("error", () => {});
  const close = () => void client.end().catch(() => {});
  ctx.signal.addEventListener("abort", close, { once: true });
  try {
    await Promise.race([client.connect(), whenAborted(ctx.signal)]);
    const result = await Promise.race([client.query(spec.query), whenAborted(ctx.signal)]);
    return healthy(`${where}: ${spec.query} ok`, { rows: result.rowCount });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return unhealthy(`${where}: ${scrubPassword(errorText(error), spec.url)}`);
  } finally {
    ctx.signal.removeEventListener("abort", close);
    close();
  }
};

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
