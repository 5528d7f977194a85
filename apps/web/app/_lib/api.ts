import type * as z from "zod/mini";
import type { ActionRequest } from "../../lib/contract";
import { csrfToken } from "./csrf";

/** A REST failure in words a person can act on (the server's `error.message` when it sent one). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 15_000;

/** A session that ended (expired, signed out elsewhere) sends the browser to sign in again. */
export function toSignIn(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  if (window.location.pathname !== "/login")
    window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}

/*
 * The board's schemas come from ./schemas through import() (zod stays out of the first load), so a
 * schema may arrive as a promise. If that module cannot load (the server was updated and this
 * page's chunks are gone), the answer cannot be checked and is not used.
 */
const schemas = () => import("./schemas");

/** One export of a module loaded by import(), e.g. a schema for fetchJson kept out of the first load. */
export function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): Promise<M[K]> {
  return load().then((m) => m[name]);
}

/** The answer's body checked against `schema`: any zod schema, classic or mini, or one being loaded. */
export async function fetchJson<S extends z.core.$ZodType>(
  path: string,
  schema: S | Promise<S>,
  init: RequestInit & { signal?: AbortSignal } = {},
): Promise<z.output<S>> {
  // Awaited after the response; should the request fail first, its loading failure is not "unhandled".
  if (schema instanceof Promise) schema.catch(() => undefined);
  const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(init.signal ? [init.signal] : [])];
  let res: Response;
  try {
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    if (method !== "GET" && method !== "HEAD") headers.set("x-csrf-token", await csrfToken());
    res = await fetch(path, { ...init, headers, signal: AbortSignal.any(signals), cache: "no-store" });
  } catch (err) {
    const why = err instanceof Error && err.name === "TimeoutError" ? "timed out" : "unreachable";
    throw new ApiError(`Vigil server ${why} (${path.split("?")[0]})`, 0, "unavailable");
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 401) toSignIn();
  if (!res.ok) {
    const parsed = await schemas().then(
      (s) => s.ErrorBody.safeParse(body),
      () => ({ success: false }) as const,
    );
    if (parsed.success) throw new ApiError(parsed.data.error.message, res.status, parsed.data.error.code);
    throw new ApiError(`HTTP ${res.status} from ${path.split("?")[0]}`, res.status, "internal");
  }
  let checker: S;
  try {
    checker = await schema;
  } catch {
    throw new ApiError("this page is out of date: reload it", res.status, "outdated");
  }
  const parsed = await checker["~standard"].validate(body);
  if (parsed.issues)
    throw new ApiError(`unexpected answer from ${path.split("?")[0]}`, res.status, "internal");
  return parsed.value;
}

const q = (params: Record<string, string | undefined>) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : "";
};

export const api = {
  services: (signal?: AbortSignal) =>
    fetchJson("/api/services", lazy(schemas, "ServicesResponse"), { signal }),
  service: (name: string, signal?: AbortSignal) =>
    fetchJson(`/api/services/${encodeURIComponent(name)}`, lazy(schemas, "ServiceDetail"), { signal }),
  graph: (signal?: AbortSignal) => fetchJson("/api/graph", lazy(schemas, "GraphResponse"), { signal }),
  history: (p: { service: string; check?: string; from: string; to: string }, signal?: AbortSignal) =>
    fetchJson(`/api/history${q(p)}`, lazy(schemas, "HistoryResponse"), { signal }),
  events: (
    p: { service?: string; type?: string; from?: string; to?: string; limit?: string },
    signal?: AbortSignal,
  ) => fetchJson(`/api/events${q(p)}`, lazy(schemas, "EventsResponse"), { signal }),
  incidents: (p: { service?: string; from?: string; to?: string }, signal?: AbortSignal) =>
    fetchJson(`/api/incidents${q(p)}`, lazy(schemas, "IncidentsResponse"), { signal }),
  actions: (signal?: AbortSignal) =>
    fetchJson("/api/actions?limit=50", lazy(schemas, "ActionsResponse"), { signal }),
  action: (id: string, signal?: AbortSignal) =>
    fetchJson(`/api/actions/${encodeURIComponent(id)}`, lazy(schemas, "ActionView"), { signal }),
  pushUrls: (name: string, signal?: AbortSignal) =>
    fetchJson(`/api/services/${encodeURIComponent(name)}/push`, lazy(schemas, "PushUrlsResponse"), {
      signal,
    }),
  logs: (name: string, lines: number, signal?: AbortSignal) =>
    fetchJson(
      `/api/services/${encodeURIComponent(name)}/logs?lines=${lines}`,
      lazy(schemas, "LogsResponse"),
      { signal },
    ),
  session: (signal?: AbortSignal) => fetchJson("/api/auth/session", lazy(schemas, "SessionView"), { signal }),
  logout: () => fetchJson("/api/auth/logout", lazy(schemas, "Ok"), { method: "POST" }),
  cancelAction: (id: string) =>
    fetchJson(`/api/actions/${encodeURIComponent(id)}/cancel`, lazy(schemas, "CancelAnswer"), {
      method: "POST",
    }),
  createShare: (body: { service: string; from: string; to: string; expiresInHours: number }) =>
    fetchJson("/api/shares", lazy(schemas, "ShareCreated"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  runAction: (body: ActionRequest) =>
    fetchJson("/api/actions", lazy(schemas, "ActionAccepted"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
};

/** Query keys in one place, so the socket hook and the components agree. */
export const keys = {
  services: ["services"] as const,
  service: (name: string) => ["service", name] as const,
  graph: ["graph"] as const,
  history: (service: string, check: string | undefined, from: string, to: string) =>
    ["history", service, check ?? "", from, to] as const,
  events: (filters: Record<string, string | undefined>) => ["events", filters] as const,
  incidents: (service: string | undefined) => ["incidents", service ?? ""] as const,
  actions: ["actions"] as const,
  action: (id: string) => ["action", id] as const,
  logs: (name: string) => ["logs", name] as const,
  pushUrls: (name: string) => ["push-urls", name] as const,
  resources: (name: string) => ["resources", name] as const,
  session: ["session"] as const,
};
