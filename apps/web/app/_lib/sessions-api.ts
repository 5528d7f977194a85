import { OwnSessionsResponse, SessionsEnded } from "../../lib/auth-contract";
import { fetchJson } from "./api";

/** The signed-in user's own sessions; POSTs carry the CSRF header through `fetchJson`. */
export const sessionsApi = {
  key: ["own-sessions"] as const,
  list: (signal?: AbortSignal) => fetchJson("/api/auth/sessions", OwnSessionsResponse, { signal }),
  revoke: (id: string) =>
    fetchJson(`/api/auth/sessions/${encodeURIComponent(id)}/revoke`, SessionsEnded, { method: "POST" }),
  revokeOthers: () => fetchJson("/api/auth/sessions/revoke-others", SessionsEnded, { method: "POST" }),
};
