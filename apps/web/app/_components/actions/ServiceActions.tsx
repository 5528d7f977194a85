"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ActionKind, ServicesResponse, ServiceView } from "../../../lib/contract";
import { keys } from "../../_lib/api";
import { useCanAct } from "../../_lib/session";
import { stoppedDependencies, transitiveDependents } from "../../_lib/status";
import { PlayIcon, RestartIcon, RollbackIcon, StopIcon } from "../icons";
import { useAskAction } from "./ActionFlow";
import { KIND_WORD } from "./useRunAction";

const ICONS = { start: PlayIcon, stop: StopIcon, restart: RestartIcon, rollback: RollbackIcon };

/** What the engine would refuse or what makes no sense right now (status is the freshest fact). */
function possible(s: ServiceView, kind: ActionKind): boolean {
  if (s.kind === "external" || s.kind === "job") return false;
  const down = s.status === "stopped" || (s.status === "unknown" && s.runtimeState === "stopped");
  if (kind === "start") return down || s.runtimeState === "crash-loop" || s.runtimeState === "exited";
  if (kind === "stop") return !down;
  return true;
}

/** Start / stop / restart / rollback for one service, reflecting what is possible now. */
export function ServiceActions({ service, compact = false }: { service: ServiceView; compact?: boolean }) {
  const ask = useAskAction();
  const qc = useQueryClient();
  const { canAct, why } = useCanAct();
  // An alert's "restart"/"rollback" link lands here with ?confirm=<kind>: it opens the same
  // confirmation as the button (never runs anything by itself), once, then leaves the URL clean.
  const confirmedFromLink = useRef(false);
  useEffect(() => {
    if (compact || confirmedFromLink.current || !canAct) return;
    const url = new URL(window.location.href);
    const kind = url.searchParams.get("confirm");
    if (kind !== "restart" && kind !== "rollback") return;
    confirmedFromLink.current = true;
    url.searchParams.delete("confirm");
    window.history.replaceState(window.history.state, "", url);
    if (possible(service, kind) && !service.activeAction) open(kind);
  });
  if (service.kind === "external") {
    return (
      <p className="text-xs text-muted">External service: observed only, not started or stopped by Vigil.</p>
    );
  }
  if (service.kind === "job") {
    return <p className="text-xs text-muted">Job: runs on its schedule; use "Run now" below.</p>;
  }
  const busy = service.activeAction;
  const open = (kind: ActionKind) => {
    // Read at click time, so tiles need not re-render when other services change.
    const all = qc.getQueryData<ServicesResponse>(keys.services)?.services ?? [service];
    const dependents = transitiveDependents([service.name], all);
    const affected =
      kind === "start"
        ? [
            {
              label: "Also starts (dependencies not running)",
              names: stoppedDependencies([service.name], all),
            },
          ]
        : [
            {
              label: kind === "stop" ? "Also affects (stopped first: they depend on it)" : "Also affects",
              names: dependents,
            },
          ];
    ask({
      kind,
      subject: service.name,
      targets: [service.name],
      affected,
      offerDependents: kind === "restart" && dependents.length > 0,
    });
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {(["start", "stop", "restart", "rollback"] as const).map((kind) => {
        const Icon = ICONS[kind];
        const ok = possible(service, kind) && !busy && canAct;
        return (
          <button
            key={kind}
            type="button"
            disabled={!ok}
            onClick={() => open(kind)}
            aria-label={`${KIND_WORD[kind].verb} ${service.name}`}
            title={
              busy
                ? `${busy.kind} by ${busy.requestedBy} in progress`
                : (why ?? `${KIND_WORD[kind].verb} ${service.name}`)
            }
            className={`inline-flex items-center gap-1 rounded-md border border-line bg-surface font-medium hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-40 ${compact ? "px-1.5 py-1 text-xs" : "px-2.5 py-1.5 text-sm"}`}
          >
            <Icon size={compact ? 12 : 14} />
            {compact ? null : KIND_WORD[kind].verb}
          </button>
        );
      })}
      {busy ? (
        <span className="text-xs font-medium text-st-starting" data-testid="busy">
          {KIND_WORD[busy.kind as ActionKind]?.ing ?? busy.kind} by {busy.requestedBy}…
        </span>
      ) : null}
    </div>
  );
}
