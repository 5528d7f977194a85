"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ActionView } from "../../../lib/contract";
import { api, keys } from "../../_lib/api";
import { useNow } from "../../_lib/hooks";
import { ActionCard } from "./ActionCard";
import { FOLLOWED } from "./useRunAction";

/**
 * Bottom-right panel: the actions this browser started (until dismissed) and any action running
 * right now, whoever started it, each with its live timeline and result.
 */
export function ActionDock() {
  const qc = useQueryClient();
  const followed = useQuery({
    queryKey: FOLLOWED,
    queryFn: () => [] as string[],
    staleTime: Number.POSITIVE_INFINITY,
    initialData: [] as string[],
  }).data;
  const list = useQuery({
    queryKey: keys.actions,
    queryFn: ({ signal }) => api.actions(signal),
    staleTime: 30_000,
  }).data;
  const [dismissed, setDismissed] = useState<string[]>([]);
  const [collapsed, setCollapsed] = useState(false);
  const now = useNow(5000);

  const shown: ActionView[] = [];
  const seen = new Set<string>();
  const add = (a: ActionView | undefined) => {
    if (!a || seen.has(a.id) || dismissed.includes(a.id)) return;
    // Successes step aside after a minute; failures and cancellations stay until dismissed.
    if (a.result === "succeeded" && a.finishedAt && now - Date.parse(a.finishedAt) > 60_000) return;
    seen.add(a.id);
    shown.push(a);
  };
  for (const id of followed)
    add(qc.getQueryData<ActionView>(keys.action(id)) ?? list?.actions.find((a) => a.id === id));
  for (const a of list?.actions ?? []) if (a.result === "running") add(a);
  // Followed ids whose action is not in the cache yet (the planned delta is on its way).
  const waiting = followed.filter((id) => !seen.has(id) && !dismissed.includes(id));

  if (shown.length === 0 && waiting.length === 0) return null;
  return (
    <aside
      aria-label="Actions in progress"
      data-testid="action-dock"
      className="fixed right-2 bottom-2 z-40 w-[min(40rem,calc(100vw-1rem))] rounded-lg border border-line bg-surface shadow-2xl"
    >
      <div className="flex items-center justify-between border-b border-line px-3 py-1.5">
        <h2 className="text-sm font-semibold">Actions</h2>
        <button
          type="button"
          onClick={() => setCollapsed((c) => !c)}
          aria-expanded={!collapsed}
          className="rounded px-2 py-0.5 text-xs text-muted hover:bg-surface-2 hover:text-fg"
        >
          {collapsed ? "Show" : "Hide"}
        </button>
      </div>
      {collapsed ? null : (
        <div className="max-h-[60vh] space-y-3 overflow-y-auto p-3">
          {waiting.length > 0 && shown.length === 0 ? (
            <p className="text-sm text-muted">Action accepted, waiting for its plan…</p>
          ) : null}
          {shown.map((a) => (
            <ActionCard
              key={a.id}
              action={a}
              onDismiss={() => {
                setDismissed((d) => [...d, a.id]);
                qc.setQueryData<string[]>(FOLLOWED, (prev) => (prev ?? []).filter((id) => id !== a.id));
              }}
            />
          ))}
        </div>
      )}
    </aside>
  );
}
