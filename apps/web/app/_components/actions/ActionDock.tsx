"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import type { ActionView } from "../../../lib/contract";
import { api, keys } from "../../_lib/api";
import { useNow } from "../../_lib/hooks";
import { FOLLOWED } from "./useRunAction";

// Most page loads show no action: the panel, its cards and their timeline load with the first one.
const ActionDockPanel = lazy(() => import("./ActionDockPanel").then((m) => ({ default: m.ActionDockPanel })));

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
    <Suspense fallback={null}>
      <ActionDockPanel
        shown={shown}
        waiting={waiting.length > 0}
        collapsed={collapsed}
        onToggle={() => setCollapsed((c) => !c)}
        onDismiss={(id) => {
          setDismissed((d) => [...d, id]);
          qc.setQueryData<string[]>(FOLLOWED, (prev) => (prev ?? []).filter((f) => f !== id));
        }}
      />
    </Suspense>
  );
}
