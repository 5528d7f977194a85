"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { alertKeys, alertsApi } from "../_lib/alerts-api";

/** Channels with their last delivery and failures, a test button, and the delivery log. */
export function Notifications({
  channel,
  onChannel,
}: {
  channel?: string;
  onChannel: (c: string | null) => void;
}) {
  const qc = useQueryClient();
  const channels = useQuery({
    queryKey: alertKeys.channels,
    queryFn: ({ signal }) => alertsApi.channels(signal),
    refetchInterval: 10_000,
  });
  const log = useQuery({
    queryKey: alertKeys.deliveries(channel),
    queryFn: ({ signal }) => alertsApi.deliveries(channel, signal),
    refetchInterval: 10_000,
  });
  const refresh = () =>
    qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("alert-") });
  const test = useMutation({ mutationFn: alertsApi.test, onSettled: refresh });
  const retry = useMutation({ mutationFn: alertsApi.retry, onSettled: refresh });
  const failure = test.error ?? retry.error;

  return (
    <section>
      <h2 className="mb-2 text-lg font-bold">Notifications</h2>
      {failure ? <p role="alert">{failure.message}</p> : null}
      <table className="mb-4 w-full text-left text-sm" data-testid="channel-table">
        <thead>
          <tr>
            <th>Channel</th>
            <th>Kind</th>
            <th>Sent</th>
            <th>Failed</th>
            <th>Queued</th>
            <th>Last delivery</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(channels.data?.channels ?? []).map((c) => (
            <tr key={c.name}>
              <td>
                <button
                  type="button"
                  className="underline"
                  onClick={() => onChannel(channel === c.name ? null : c.name)}
                >
                  {c.name}
                </button>
              </td>
              <td>{c.kind}</td>
              <td>{c.sent}</td>
              <td className={c.failed > 0 ? "font-bold text-st-unhealthy" : ""}>{c.failed}</td>
              <td>{c.queued}</td>
              <td>
                {c.lastAttemptAt
                  ? `${new Date(c.lastAttemptAt).toLocaleString()} ${c.lastOk ? "ok" : `failed: ${c.lastError ?? ""}`}`
                  : "never"}
              </td>
              <td>
                <button
                  type="button"
                  className="rounded border border-line px-2"
                  onClick={() => test.mutate(c.name)}
                >
                  Send test
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="mb-1 font-semibold">Delivery log{channel ? ` — ${channel}` : ""}</h3>
      <ul className="space-y-1 text-sm" data-testid="delivery-log">
        {(log.data?.deliveries ?? []).map((d) => (
          <li key={d.id} className="rounded border border-line px-2 py-1">
            <span className={d.ok ? "text-st-healthy" : "text-st-unhealthy"}>{d.ok ? "sent" : "failed"}</span>{" "}
            {new Date(d.at).toLocaleString()} · {d.channel} · {d.event} · {d.title}
            {d.status !== null ? ` · HTTP ${d.status}` : ""}
            {d.error ? ` · ${d.error}` : ""}
            {d.state === "failed" ? (
              <button
                type="button"
                className="ml-2 rounded border border-line px-2"
                onClick={() => retry.mutate(d.entryId)}
              >
                Retry
              </button>
            ) : null}
            <details>
              <summary className="cursor-pointer text-muted">request as sent</summary>
              <pre className="overflow-x-auto whitespace-pre-wrap text-xs">
                {JSON.stringify(d.request, null, 2)}
              </pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
