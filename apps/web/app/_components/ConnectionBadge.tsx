"use client";

import type { ReactNode } from "react";
import { useHydrated } from "../_lib/hooks";
import { useConnection } from "../_lib/live";
import { clockTime } from "../_lib/time";

/** "live", "connecting…" or "reconnecting · stale since 10:42:07": never a stale value shown as live. */
export function ConnectionBadge() {
  const c = useConnection();
  const hydrated = useHydrated();
  let text: string;
  let tone: string;
  if (c.state === "live") {
    text = "live";
    tone = "text-st-healthy bg-st-healthy-bg";
  } else if (c.state === "off") {
    text = "shared view · not live";
    tone = "text-st-stopped bg-st-stopped-bg";
  } else if (c.state === "outdated") {
    text = "Vigil was updated · reload";
    tone = "text-st-degraded bg-st-degraded-bg";
  } else if (c.state === "connecting") {
    text = "connecting…";
    tone = "text-st-starting bg-st-starting-bg";
  } else {
    const since = c.lastDataAt ?? c.downSince;
    text = `reconnecting · stale since ${since && hydrated ? clockTime(since) : "—"}`;
    tone = "text-st-degraded bg-st-degraded-bg";
  }
  return (
    <output
      aria-live="polite"
      data-testid="connection"
      data-state={c.state}
      data-first-snapshot-ms={c.firstSnapshotMs ?? ""}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-current/30 ${tone}`}
    >
      <span
        aria-hidden="true"
        className={`inline-block h-2 w-2 rounded-full bg-current ${c.state === "live" ? "pulse-dot" : ""}`}
      />
      {text}
    </output>
  );
}

/** Shown over views whose values come from the socket while the link is down. */
export function StaleNotice() {
  const c = useConnection();
  const hydrated = useHydrated();
  if (c.state === "outdated") {
    return (
      <div
        role="alert"
        data-testid="outdated-notice"
        className="mb-3 flex flex-wrap items-center gap-3 rounded-md border border-st-degraded/50 bg-st-degraded-bg px-3 py-2 text-sm font-medium text-st-degraded"
      >
        Vigil was updated and this page is older than the server, so values below are not live.
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="rounded border border-current px-2 py-0.5 font-semibold"
        >
          Reload
        </button>
      </div>
    );
  }
  if (c.state !== "reconnecting") return null;
  const since = c.lastDataAt ?? c.downSince;
  return (
    <div
      role="alert"
      className="mb-3 rounded-md border border-st-degraded/50 bg-st-degraded-bg px-3 py-2 text-sm font-medium text-st-degraded"
    >
      Connection to Vigil lost. Values below are from{" "}
      {since && hydrated ? clockTime(since) : "before the disconnect"} and are not live; reconnecting…
    </div>
  );
}

/** Wraps live values: dimmed and desaturated while the link is down, so nothing stale looks live. */
export function LiveArea({ children }: { children: ReactNode }) {
  const c = useConnection();
  const stale = c.state === "reconnecting" || c.state === "outdated";
  return (
    <div
      data-stale={stale ? "true" : undefined}
      className={stale ? "opacity-55 saturate-[.35] transition-opacity" : "transition-opacity"}
    >
      {children}
    </div>
  );
}
