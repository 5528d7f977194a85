"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { ActionKind } from "../../../lib/contract";
import { KIND_WORD } from "./useRunAction";

export interface ConfirmRequest {
  kind: ActionKind;
  /** What the user named ("core-api", "group backend", "the whole stack"). */
  subject: string;
  targets: string[];
  /** Services affected beyond the targets, with why. */
  affected: { label: string; names: string[] }[];
  /** Restart only: offer to restart the dependents too. */
  offerDependents?: boolean;
}

/** A modal confirmation that names what else the action touches. */
export function ConfirmDialog({
  request,
  onConfirm,
  onClose,
  pending,
  error,
}: {
  request: ConfirmRequest | null;
  onConfirm: (opts: { withDependents: boolean }) => void;
  onClose: () => void;
  pending: boolean;
  error: string | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [withDependents, setWithDependents] = useState(false);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (request && !d.open) {
      setWithDependents(false);
      d.showModal();
    }
    if (!request && d.open) d.close();
  }, [request]);
  const danger = request?.kind === "stop" || request?.kind === "rollback";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      data-testid="confirm-dialog"
      className="m-auto w-[min(32rem,94vw)] rounded-lg border border-line bg-surface p-5 text-fg shadow-2xl backdrop:bg-black/60"
    >
      {request ? (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            onConfirm({ withDependents });
          }}
        >
          <h2 id={titleId} className="text-lg font-semibold">
            {KIND_WORD[request.kind].verb} {request.subject}?
          </h2>
          {request.targets.length > 1 ? (
            <p className="mt-2 text-sm text-muted">
              {request.targets.length} services: {request.targets.join(", ")}
            </p>
          ) : null}
          {request.affected.map((a) =>
            a.names.length > 0 ? (
              <p
                key={a.label}
                className="mt-3 rounded-md bg-st-degraded-bg px-3 py-2 text-sm text-st-degraded"
              >
                <strong>{a.label}:</strong> {a.names.join(", ")}
              </p>
            ) : null,
          )}
          {request.affected.every((a) => a.names.length === 0) ? (
            <p className="mt-3 text-sm text-muted">No other service is affected.</p>
          ) : null}
          {request.offerDependents ? (
            <label className="mt-3 flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={withDependents}
                onChange={(e) => setWithDependents(e.target.checked)}
                className="h-4 w-4"
              />
              Also restart the services that depend on it
            </label>
          ) : null}
          {error ? (
            <p role="alert" className="mt-3 text-sm font-medium text-st-unhealthy">
              {error}
            </p>
          ) : null}
          <div className="mt-5 flex justify-end gap-2">
            <button
              type="button"
              onClick={onClose}
              className="rounded-md border border-line px-3 py-1.5 text-sm hover:bg-surface-2"
            >
              Cancel
            </button>
            <button
              type="submit"
              disabled={pending}
              data-testid="confirm-action"
              className={`rounded-md px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60 ${danger ? "bg-[#b91c1c]" : "bg-[#1d4ed8]"}`}
            >
              {pending ? "Sending…" : `${KIND_WORD[request.kind].verb}`}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
