"use client";

import { useState } from "react";
import { LinkIcon } from "../../_components/icons";
import { api } from "../../_lib/api";
import { useHydrated, useUrlState } from "../../_lib/hooks";
import { PRESETS, type Preset, prettyQuery, type RangeSpec } from "../../_lib/range";
import { useCanAct } from "../../_lib/session";
import { isoWithOffset, zoneLabel } from "../../_lib/time";

const pad = (n: number) => String(n).padStart(2, "0");
/** A Date as the value of <input type="datetime-local"> in the viewer's zone. */
function localInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Range presets, custom from/to, and "Copy link" that freezes the window into absolute times. */
export function RangeBar({
  service,
  spec,
  window: w,
}: {
  service: string;
  spec: RangeSpec;
  window: { from: string; to: string };
}) {
  const { canAct } = useCanAct();
  const [shareError, setShareError] = useState<string | null>(null);
  const [, setUrl] = useUrlState();
  const hydrated = useHydrated();
  const [copied, setCopied] = useState<string | null>(null);
  const [custom, setCustom] = useState(false);
  const btn = (on: boolean) =>
    `rounded-md px-2.5 py-1 text-sm font-medium ring-1 ${on ? "bg-accent text-surface ring-accent" : "ring-line hover:bg-surface-2"}`;

  const copy = async () => {
    const url = new URL(window.location.href);
    url.searchParams.delete("range");
    url.searchParams.set("from", w.from);
    url.searchParams.set("to", w.to);
    url.search = prettyQuery(url.searchParams);
    const text = url.toString();
    setCopied(text);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard (plain-http origin): the link stays selectable below.
    }
  };

  const share = async () => {
    setShareError(null);
    try {
      const made = await api.createShare({ service, from: w.from, to: w.to, expiresInHours: 24 });
      const text = new URL(made.url, window.location.origin).toString();
      setCopied(text);
      await navigator.clipboard.writeText(text).catch(() => undefined);
    } catch (err) {
      setShareError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <fieldset className="flex flex-wrap gap-1">
        <legend className="sr-only">Time range</legend>
        {(Object.keys(PRESETS) as Preset[]).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={spec.kind === "preset" && spec.preset === p}
            className={btn(spec.kind === "preset" && spec.preset === p)}
            onClick={() => {
              setCustom(false);
              setUrl({ range: p, from: null, to: null });
            }}
          >
            {PRESETS[p].label}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={spec.kind === "absolute" || custom}
          className={btn(spec.kind === "absolute" || custom)}
          onClick={() => setCustom((c) => !c)}
        >
          Custom
        </button>
      </fieldset>
      {custom && hydrated ? (
        <form
          className="flex flex-wrap items-center gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const from = new Date(String(data.get("from")));
            const to = new Date(String(data.get("to")));
            if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) return;
            setUrl({ range: null, from: isoWithOffset(from), to: isoWithOffset(to) });
          }}
        >
          <label className="flex items-center gap-1">
            From
            <input
              name="from"
              type="datetime-local"
              defaultValue={localInput(w.from)}
              className="rounded border border-line bg-surface px-1 py-0.5"
            />
          </label>
          <label className="flex items-center gap-1">
            To
            <input
              name="to"
              type="datetime-local"
              defaultValue={localInput(w.to)}
              className="rounded border border-line bg-surface px-1 py-0.5"
            />
          </label>
          <button type="submit" className={btn(false)}>
            Apply
          </button>
        </form>
      ) : null}
      <button
        type="button"
        onClick={copy}
        className={`${btn(false)} ml-auto inline-flex items-center gap-1`}
        data-testid="copy-link"
        title="A link for signed-in colleagues: this service, this exact window"
      >
        <LinkIcon size={14} /> Copy link
      </button>
      {canAct ? (
        <button
          type="button"
          onClick={share}
          className={`${btn(false)} inline-flex items-center gap-1`}
          data-testid="share-link"
          title="A read-only link for anyone, to this service and window only, valid 24 h"
        >
          <LinkIcon size={14} /> Read-only link (24 h)
        </button>
      ) : null}
      {shareError ? (
        <p role="alert" className="w-full text-xs text-st-unhealthy">
          Could not create the link: {shareError}
        </p>
      ) : null}
      {copied ? (
        <label className="flex w-full items-center gap-2 text-xs text-muted">
          {copied.includes("/share/")
            ? "Read-only link (anyone with it, 24 h):"
            : "Link (absolute window, same in any zone):"}
          <input
            readOnly
            value={copied}
            data-testid="share-url"
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded border border-line bg-surface-2 px-2 py-1 font-mono text-fg"
          />
        </label>
      ) : null}
      <p className="w-full text-xs text-muted">Times in {hydrated ? zoneLabel() : "your zone"}</p>
    </div>
  );
}
