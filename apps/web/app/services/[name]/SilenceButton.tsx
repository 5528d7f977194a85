"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { alertsApi } from "../../_lib/alerts-api";
import { useCanAct } from "../../_lib/session";

/** "Silence for 1 h": no alerts for this service for an hour (it shows as in maintenance). */
export function SilenceButton({ service }: { service: string }) {
  const { canAct, why } = useCanAct();
  const qc = useQueryClient();
  const silence = useMutation({
    mutationFn: () => alertsApi.silence(service, "1h"),
    onSettled: () => qc.invalidateQueries({ queryKey: ["alert-maintenance"] }),
  });
  return (
    <span className="inline-flex items-center gap-2 text-sm">
      <button
        type="button"
        data-testid="silence-1h"
        disabled={!canAct || silence.isPending}
        title={why ?? `No alerts for ${service} for one hour`}
        onClick={() => silence.mutate()}
        className="rounded-md border border-line bg-surface px-2.5 py-1.5 font-medium hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-40"
      >
        Silence for 1 h
      </button>
      {silence.data ? (
        <span className="text-muted">silenced until {new Date(silence.data.until).toLocaleTimeString()}</span>
      ) : null}
      {silence.error ? <span role="alert">{silence.error.message}</span> : null}
    </span>
  );
}
