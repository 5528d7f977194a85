import type { z } from "zod";

/*
 * Server components read the same REST API the browser uses, over loopback: the custom server
 * (server.ts) serves REST and Next on one port. A slow or absent API never blocks the page: it
 * renders without initial data and the browser fetches instead.
 */
const BASE = process.env.VIGIL_INTERNAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`;

export async function serverFetch<S extends z.ZodType>(
  path: string,
  schema: S,
  timeoutMs = 1500,
): Promise<z.infer<S> | null> {
  try {
    const res = await fetch(`${BASE}${path}`, { cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    const parsed = schema.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
