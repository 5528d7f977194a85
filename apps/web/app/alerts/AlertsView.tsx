"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { alertKeys, alertsApi } from "../_lib/alerts-api";
import { useUrlState } from "../_lib/hooks";
import { Notifications } from "./Notifications";
import { PublicUpdateForm } from "./PublicUpdateForm";

/** Alert incidents (filters in the URL, so a view can be shared) and the notification channels. */
export function AlertsView() {
  const [sp, setUrl] = useUrlState();
  const state = sp.get("state") ?? "open";
  const service = sp.get("service") ?? undefined;
  const filters = { state, service };
  const qc = useQueryClient();
  const incidents = useQuery({
    queryKey: alertKeys.incidents(filters),
    queryFn: ({ signal }) => alertsApi.incidents(filters, signal),
    refetchInterval: 10_000,
  });
  const ack = useMutation({
    mutationFn: (key: string) => alertsApi.acknowledge(key),
    onSettled: () => qc.invalidateQueries({ queryKey: ["alert-incidents"] }),
  });

  return (
    <div className="space-y-6">
      <section>
        <div className="mb-3 flex flex-wrap items-baseline gap-3">
          <h1 className="text-xl font-bold">Incidents</h1>
          <label className="text-sm">
            State{" "}
            <select
              value={state}
              onChange={(e) => setUrl({ state: e.target.value })}
              className="rounded border border-line bg-surface px-2 py-1"
            >
              <option value="open">open</option>
              <option value="resolved">resolved</option>
              <option value="all">all</option>
            </select>
          </label>
          <label className="text-sm">
            Service{" "}
            <input
              defaultValue={service ?? ""}
              onKeyDown={(e) => {
                if (e.key === "Enter") setUrl({ service: e.currentTarget.value || null });
              }}
              placeholder="any"
              className="rounded border border-line bg-surface px-2 py-1"
            />
          </label>
        </div>
        {incidents.error ? <p role="alert">Cannot load incidents: {incidents.error.message}</p> : null}
        {ack.error ? <p role="alert">Cannot acknowledge: {ack.error.message}</p> : null}
        <ul data-testid="incident-list" className="space-y-2">
          {(incidents.data?.incidents ?? []).map((i) => (
            <li key={i.key} className="rounded-md border border-line px-3 py-2 text-sm">
              <p className="font-semibold">{i.title}</p>
              <p className="text-muted">
                opened {new Date(i.openedAt).toLocaleString()}
                {i.affected.length > 0 ? ` · affects ${i.affected.join(", ")}` : ""}
                {i.resolvedAt ? ` · resolved ${new Date(i.resolvedAt).toLocaleString()}` : ""}
                {i.acknowledgedBy ? ` · acknowledged by ${i.acknowledgedBy}` : ""}
              </p>
              {!i.resolvedAt && !i.acknowledgedBy ? (
                <button
                  type="button"
                  onClick={() => ack.mutate(i.key)}
                  disabled={ack.isPending}
                  className="mt-1 rounded border border-line px-2 py-0.5 font-semibold"
                >
                  Acknowledge
                </button>
              ) : null}
              <PublicUpdateForm incidentKey={i.key} />
            </li>
          ))}
          {incidents.data && incidents.data.incidents.length === 0 ? (
            <li className="text-muted">No {state === "all" ? "" : state} incidents.</li>
          ) : null}
        </ul>
      </section>
      <Notifications channel={sp.get("channel") ?? undefined} onChannel={(c) => setUrl({ channel: c })} />
    </div>
  );
}
