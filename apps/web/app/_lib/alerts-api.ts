import {
  Accepted,
  ChannelsResponse,
  DeliveriesResponse,
  IncidentsResponse,
  MaintenanceResponse,
  SilenceAccepted,
} from "../../lib/alerts-contract";
import { fetchJson } from "./api";

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
    return fetchJson(`/api/alerts/incidents?${sp}`, IncidentsResponse, { signal });
  },
  acknowledge: (key: string) =>
    fetchJson(`/api/alerts/incidents/${encodeURIComponent(key)}/ack`, Accepted, post()),
  maintenance: (signal?: AbortSignal) =>
    fetchJson("/api/alerts/maintenance", MaintenanceResponse, { signal }),
  channels: (signal?: AbortSignal) => fetchJson("/api/alerts/channels", ChannelsResponse, { signal }),
  deliveries: (channel: string | undefined, signal?: AbortSignal) =>
    fetchJson(
      `/api/alerts/deliveries${channel ? `?channel=${encodeURIComponent(channel)}` : ""}`,
      DeliveriesResponse,
      {
        signal,
      },
    ),
  test: (channel: string) =>
    fetchJson(`/api/alerts/channels/${encodeURIComponent(channel)}/test`, Accepted, post()),
  retry: (id: string) => fetchJson("/api/alerts/deliveries/retry", Accepted, post({ id })),
  silence: (service: string, duration: string) =>
    fetchJson("/api/alerts/silences", SilenceAccepted, post({ service, duration })),
};

export const alertKeys = {
  incidents: (filters: Record<string, string | undefined>) => ["alert-incidents", filters] as const,
  maintenance: ["alert-maintenance"] as const,
  channels: ["alert-channels"] as const,
  deliveries: (channel: string | undefined) => ["alert-deliveries", channel ?? ""] as const,
};
