"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { ServiceView } from "../../../lib/contract";
import { api, keys } from "../../_lib/api";
import { useHydrated } from "../../_lib/hooks";
import { useServiceRoom } from "../../_lib/live";
import { clockTime } from "../../_lib/time";

/** The last lines of the service's output, then live lines from its socket room. */
export function LogsTail({ service }: { service: ServiceView }) {
  const name = service.name;
  useServiceRoom(name);
  const hydrated = useHydrated();
  const q = useQuery({
    queryKey: keys.logs(name),
    queryFn: ({ signal }) => api.logs(name, 200, signal),
    staleTime: Number.POSITIVE_INFINITY,
    enabled: service.kind !== "external",
  });
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const lines = q.data?.lines ?? [];
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when lines arrive
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length, follow]);
  return (
    <section aria-labelledby="logs-title" className="min-w-0 rounded-lg border border-line bg-surface p-4">
      <div className="mb-2 flex items-center gap-2">
        <h2 id="logs-title" className="font-semibold">
          Logs
        </h2>
        <span className="text-xs text-muted">{lines.length} lines · live</span>
        <label className="ml-auto flex items-center gap-1 text-xs">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
      </div>
      {service.kind === "external" ? (
        <p className="text-sm text-muted">External services have no logs in Vigil.</p>
      ) : (
        <div
          ref={box}
          role="log"
          aria-label={`Log output of ${name}`}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          data-testid="logs"
          className="h-72 overflow-auto rounded-md bg-[#0b0f17] p-2 font-mono text-[12px] leading-5 text-[#d6dde8]"
        >
          {q.error ? <p className="text-[#ff8a8a]">Cannot load logs: {q.error.message}</p> : null}
          {q.data && lines.length === 0 ? <p className="text-[#8b97a8]">No output yet.</p> : null}
          {lines.map((l, i) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no identity; the list only appends
              key={`${l.at}-${i}`}
              className={`whitespace-pre-wrap break-all ${l.stream === "stderr" ? "text-[#ff9b9b]" : ""}`}
            >
              <span className="text-[#7d8899]">{hydrated ? clockTime(l.at) : ""} </span>
              {l.line}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
