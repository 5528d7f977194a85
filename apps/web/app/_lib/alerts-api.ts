import { fetchJson, lazy } from "./api";

// Loaded on first use, not with the page: the board's maintenance query must not bring zod into
// `/`'s first load (see ./schemas.ts).
const contract = () => import("../../lib/alerts-contract");

const post = (body: unknown = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The alerting REST API (incidents, channels, delivery log, silences). */
export const alertsApi = {
  incidents: (filters: { state?: string; service?: string }, signal?: AbortSignal) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) sp.set(k, v);
    return fetchJson(`/api/alerts/incidents?${sp}`, lazy(contract, "IncidentsResponse"), { signal });
  },
  acknowledge: (key: string) =>
    fetchJson(`/api/alerts/incidents/${encodeURIComponent(key)}/ack`, lazy(contract, "Accepted"), post()),
  maintenance: (signal?: AbortSignal) =>
    fetchJson("/api/alerts/maintenance", lazy(contract, "MaintenanceResponse"), { signal }),
  channels: (signal?: AbortSignal) =>
    fetchJson("/api/alerts/channels", lazy(contract, "ChannelsResponse"), { signal }),
  deliveries: (channel: string | undefined, signal?: AbortSignal) =>
    fetchJson(
      `/api/alerts/deliveries${channel ? `?channel=${encodeURIComponent(channel)}` : ""}`,
      lazy(contract, "DeliveriesResponse"),
      {
        signal,
      },
    ),
  test: (channel: string) =>
    fetchJson(`/api/alerts/channels/${encodeURIComponent(channel)}/test`, lazy(contract, "Accepted"), post()),
  retry: (id: string) => fetchJson("/api/alerts/deliveries/retry", lazy(contract, "Accepted"), post({ id })),
  silence: (service: string, duration: string) =>
    fetchJson("/api/alerts/silences", lazy(contract, "SilenceAccepted"), post({ service, duration })),
};

export const alertKeys = {
  incidents: (filters: Record<string, string | undefined>) => ["alert-incidents", filters] as const,
  maintenance: ["alert-maintenance"] as const,
  channels: ["alert-channels"] as const,
  deliveries: (channel: string | undefined) => ["alert-deliveries", channel ?? ""] as const,
};
