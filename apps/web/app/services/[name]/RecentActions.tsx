"use client";

import { useQuery } from "@tanstack/react-query";
import { ActionCard } from "../../_components/actions/ActionCard";
import { api, keys } from "../../_lib/api";

/** Actions that touched this service (the whole-stack ones included), newest first. */
export function RecentActions({ service }: { service: string }) {
  const q = useQuery({
    queryKey: keys.actions,
    queryFn: ({ signal }) => api.actions(signal),
    staleTime: 30_000,
  });
  const mine = (q.data?.actions ?? [])
    .filter(
      (a) =>
        a.targets.length === 0 || a.targets.includes(service) || a.waves.some((w) => w.includes(service)),
    )
    .slice(0, 3);
  return (
    <section aria-labelledby="actions-title" className="rounded-lg border border-line bg-surface p-4">
      <h2 id="actions-title" className="mb-2 font-semibold">
        Recent actions
      </h2>
      {q.error ? <p className="text-sm text-st-unhealthy">Cannot load actions: {q.error.message}</p> : null}
      {q.data && mine.length === 0 ? <p className="text-sm text-muted">No recent actions.</p> : null}
      <div className="space-y-3">
        {mine.map((a) => (
          <ActionCard key={a.id} action={a} />
        ))}
      </div>
    </section>
  );
}
