import * as z from "zod/mini";
import { SessionView } from "../../lib/auth-contract";
import {
  ActionAccepted,
  type ActionRequest,
  ActionsResponse,
  ActionView,
  ErrorBody,
  EventsResponse,
  GraphResponse,
  HistoryResponse,
  IncidentsResponse,
  LogsResponse,
  ServiceDetail,
  ServicesResponse,
} from "../../lib/contract";
import { PushUrlsResponse } from "../../lib/contract-push";
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

// Any zod schema: the board's contracts are zod/mini (small in the browser), a few pages' are classic.
export async function fetchJson<S extends z.core.$ZodType>(
  path: string,
  schema: S,
  init: RequestInit & { signal?: AbortSignal } = {},
): Promise<z.output<S>> {
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
    const parsed = ErrorBody.safeParse(body);
    if (parsed.success) throw new ApiError(parsed.data.error.message, res.status, parsed.data.error.code);
    throw new ApiError(`HTTP ${res.status} from ${path.split("?")[0]}`, res.status, "internal");
  }
  const parsed = z.safeParse(schema, body);
  if (!parsed.success)
    throw new ApiError(`unexpected answer from ${path.split("?")[0]}`, res.status, "internal");
  return parsed.data;
}

const q = (params: Record<string, string | undefined>) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : "";
};

export const api = {
  services: (signal?: AbortSignal) => fetchJson("/api/services", ServicesResponse, { signal }),
  service: (name: string, signal?: AbortSignal) =>
    fetchJson(`/api/services/${encodeURIComponent(name)}`, ServiceDetail, { signal }),
  graph: (signal?: AbortSignal) => fetchJson("/api/graph", GraphResponse, { signal }),
  history: (p: { service: string; check?: string; from: string; to: string }, signal?: AbortSignal) =>
    fetchJson(`/api/history${q(p)}`, HistoryResponse, { signal }),
  events: (
    p: { service?: string; type?: string; from?: string; to?: string; limit?: string },
    signal?: AbortSignal,
  ) => fetchJson(`/api/events${q(p)}`, EventsResponse, { signal }),
  incidents: (p: { service?: string; from?: string; to?: string }, signal?: AbortSignal) =>
    fetchJson(`/api/incidents${q(p)}`, IncidentsResponse, { signal }),
  actions: (signal?: AbortSignal) => fetchJson("/api/actions?limit=50", ActionsResponse, { signal }),
  action: (id: string, signal?: AbortSignal) =>
    fetchJson(`/api/actions/${encodeURIComponent(id)}`, ActionView, { signal }),
  pushUrls: (name: string, signal?: AbortSignal) =>
    fetchJson(`/api/services/${encodeURIComponent(name)}/push`, PushUrlsResponse, { signal }),
  logs: (name: string, lines: number, signal?: AbortSignal) =>
    fetchJson(`/api/services/${encodeURIComponent(name)}/logs?lines=${lines}`, LogsResponse, { signal }),
  session: (signal?: AbortSignal) => fetchJson("/api/auth/session", SessionView, { signal }),
  logout: () => fetchJson("/api/auth/logout", z.object({ ok: z.boolean() }), { method: "POST" }),
  cancelAction: (id: string) =>
    fetchJson(`/api/actions/${encodeURIComponent(id)}/cancel`, z.object({ actionId: z.string() }), {
      method: "POST",
    }),
  createShare: (body: { service: string; from: string; to: string; expiresInHours: number }) =>
    fetchJson("/api/shares", z.object({ id: z.string(), url: z.string(), expiresAt: z.string() }), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  runAction: (body: ActionRequest) =>
    fetchJson("/api/actions", ActionAccepted, {
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
