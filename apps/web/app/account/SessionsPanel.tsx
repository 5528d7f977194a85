"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { sessionsApi } from "../_lib/sessions-api";

const when = (iso: string) => new Date(iso).toLocaleString();
const plural = (n: number) => `${n} session${n === 1 ? "" : "s"}`;

/**
 * Where the user is signed in, and signing out the sessions they do not recognise (a lost
 * laptop, a shared machine). The server only ever lists and ends the caller's own sessions.
 */
export function SessionsPanel() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: sessionsApi.key, queryFn: ({ signal }) => sessionsApi.list(signal) });
  const [result, setResult] = useState<string | null>(null);
  // Success or not (a session already gone is 404), the list is read again.
  const settle = {
    onSuccess: (r: { ended: number }) => setResult(`Signed out ${plural(r.ended)}.`),
    onSettled: () => qc.invalidateQueries({ queryKey: sessionsApi.key }),
  };
  const revoke = useMutation({ mutationFn: (id: string) => sessionsApi.revoke(id), ...settle });
  const others = useMutation({ mutationFn: () => sessionsApi.revokeOthers(), ...settle });
  const sessions = list.data?.sessions ?? [];
  const busy = revoke.isPending || others.isPending;
  const error = list.error ?? revoke.error ?? others.error;

  return (
    <section className="space-y-3 rounded-lg border border-line p-4" aria-labelledby="sessions-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="sessions-heading" className="font-medium">
          Sessions
        </h2>
        <button
          type="button"
          className="rounded-md border border-line px-3 py-1 text-sm"
          onClick={() => {
            setResult(null);
            others.mutate();
          }}
          disabled={busy || !sessions.some((s) => !s.current)}
        >
          {others.isPending ? "Signing out…" : "Sign out all others"}
        </button>
      </div>
      {result ? (
        <p className="text-sm" role="status" data-testid="sessions-result">
          {result}
        </p>
      ) : null}
      {error ? (
        <p className="text-sm text-red-600" role="alert">
          {error.message}
        </p>
      ) : null}
      {list.isPending ? <p className="text-sm text-muted">Loading sessions…</p> : null}
      <table className="w-full text-left text-sm">
        <thead className="text-muted">
          <tr>
            <th className="py-1">Signed in</th>
            <th>Last seen</th>
            <th>IP</th>
            <th>Browser</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="own-session" data-current={s.current ? "true" : "false"}>
              <td className="py-1">{when(s.createdAt)}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>{s.ip ?? "unknown"}</td>
              <td className="max-w-xs truncate" title={s.userAgent ?? undefined}>
                {s.userAgent ?? "unknown"}
              </td>
              <td>
                {s.current ? (
                  <span className="text-muted">this session</span>
                ) : (
                  <button
                    type="button"
                    className="text-muted underline hover:text-fg"
                    onClick={() => {
                      setResult(null);
                      revoke.mutate(s.id);
                    }}
                    disabled={busy}
                  >
                    {revoke.isPending && revoke.variables === s.id ? "Signing out…" : "Sign out"}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
