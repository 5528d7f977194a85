"use client";

import type { ServiceView } from "../../../lib/contract";
import { useCanAct } from "../../_lib/session";
import { transitiveDependents } from "../../_lib/status";
import { PlayIcon, StopIcon } from "../icons";
import { useAskAction } from "./ActionFlow";

/** Start/stop for the whole stack (targets = []) or one group, in dependency order (server-side). */
export function BulkActions({
  services,
  group,
  all,
}: {
  /** The services the buttons act on (the group's, or every service). */
  services: readonly ServiceView[];
  /** undefined = the whole stack. */
  group?: string;
  all: readonly ServiceView[];
}) {
  const ask = useAskAction();
  const { canAct } = useCanAct();
  const managed = services.filter((s) => s.kind !== "external");
  if (managed.length === 0) return null;
  const names = managed.map((s) => s.name);
  const subject = group ? `group ${group}` : "the whole stack";
  const busy = managed.some((s) => s.activeAction) || !canAct;
  const outside = (list: string[]) => list.filter((n) => !names.includes(n));
  const btn =
    "inline-flex items-center gap-1 rounded-md border border-line bg-surface px-2 py-1 text-xs font-medium hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-40";
  return (
    <span className="inline-flex items-center gap-1.5">
      <button
        type="button"
        className={btn}
        disabled={busy}
        data-testid={group ? `start-group-${group}` : "start-all"}
        onClick={() =>
          ask({
            kind: "start",
            subject,
            targets: group ? names : [],
            affected: [{ label: "Starts, wave by wave, skipping what runs", names }],
          })
        }
      >
        <PlayIcon size={12} /> {group ? "Start group" : "Start all"}
      </button>
      <button
        type="button"
        className={btn}
        disabled={busy}
        data-testid={group ? `stop-group-${group}` : "stop-all"}
        onClick={() =>
          ask({
            kind: "stop",
            subject,
            targets: group ? names : [],
            affected: [
              {
                label: group
                  ? "Also affects (outside the group, stopped first: they depend on it)"
                  : "Stops, in reverse dependency order",
                names: group ? outside(transitiveDependents(names, all)) : names,
              },
            ],
          })
        }
      >
        <StopIcon size={12} /> {group ? "Stop group" : "Stop all"}
      </button>
    </span>
  );
}
