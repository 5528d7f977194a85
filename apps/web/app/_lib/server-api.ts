import { headers } from "next/headers";
import * as z from "zod/mini";

/*
 * Server components read the same REST API the browser uses, over loopback: the custom server
 * (server.ts) serves REST and Next on one port. The viewer's cookies go along, so the API applies
 * the viewer's own session (or share link). A slow or absent API never blocks the page: it renders
 * without initial data and the browser fetches instead.
 */
const BASE = process.env.VIGIL_INTERNAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`;

export async function serverFetch<S extends z.core.$ZodType>(
  path: string,
  schema: S,
  timeoutMs = 1500,
): Promise<{ data: z.output<S> | null; status: number }> {
  try {
    const cookie = (await headers()).get("cookie");
    const res = await fetch(`${BASE}${path}`, {
      cache: "no-store",
      headers: cookie ? { cookie } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { data: null, status: res.status };
    const parsed = z.safeParse(schema, await res.json());
    return { data: parsed.success ? parsed.data : null, status: res.status };
  } catch {
    return { data: null, status: 0 };
  }
}
