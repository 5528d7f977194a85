"use client";

import type { ActionView } from "../../../lib/contract";
import { ActionCard } from "./ActionCard";

/** The dock's panel: the actions to show, each with its live timeline and result (see ActionDock). */
export function ActionDockPanel({
  shown,
  waiting,
  collapsed,
  onToggle,
  onDismiss,
}: {
  shown: ActionView[];
  /** An accepted action whose plan has not arrived yet. */
  waiting: boolean;
  collapsed: boolean;
  onToggle: () => void;
  onDismiss: (id: string) => void;
}) {
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
          onClick={onToggle}
          aria-expanded={!collapsed}
          className="rounded px-2 py-0.5 text-xs text-muted hover:bg-surface-2 hover:text-fg"
        >
          {collapsed ? "Show" : "Hide"}
        </button>
      </div>
      {collapsed ? null : (
        <div className="max-h-[60vh] space-y-3 overflow-y-auto p-3">
          {waiting && shown.length === 0 ? (
            <p className="text-sm text-muted">Action accepted, waiting for its plan…</p>
          ) : null}
          {shown.map((a) => (
            <ActionCard key={a.id} action={a} onDismiss={() => onDismiss(a.id)} />
          ))}
        </div>
      )}
    </aside>
  );
}
