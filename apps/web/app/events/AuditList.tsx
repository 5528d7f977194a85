"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AuditResponse } from "../../lib/auth-contract";
import { fetchJson } from "../_lib/api";

const PAGE = 100;

/**
 * The audit trail: who asked for what, allowed or denied, newest first, a page at a time. "Older"
 * follows the server's cursor, so entries pushed off the first page stay reachable.
 */
export function AuditList() {
  // The cursors of the pages walked through; empty = the newest page (which refreshes itself).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const { data, error } = useQuery({
    queryKey: ["audit", cursor ?? "newest"],
    queryFn: ({ signal }) =>
      fetchJson(
        `/api/audit?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        AuditResponse,
        { signal },
      ),
    refetchInterval: cursor ? false : 15_000,
    placeholderData: keepPreviousData,
  });
  if (error) return <p className="text-sm text-muted">Audit log unavailable.</p>;
  const entries = data?.entries ?? [];
  return (
    <section aria-labelledby="audit-heading" className="mt-6">
      <h2 id="audit-heading" className="text-base font-semibold">
        Audit log
      </h2>
      {entries.length === 0 ? (
        <p className="mt-2 text-sm text-muted">No audited requests yet.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm" data-testid="audit-list">
          <thead className="text-xs text-muted">
            <tr>
              <th className="py-1 pr-3 font-medium">When</th>
              <th className="py-1 pr-3 font-medium">Who</th>
              <th className="py-1 pr-3 font-medium">What</th>
              <th className="py-1 pr-3 font-medium">Target</th>
              <th className="py-1 pr-3 font-medium">Result</th>
              <th className="py-1 pr-3 font-medium">Took</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-line">
                <td className="py-1 pr-3 whitespace-nowrap">{new Date(e.at).toLocaleString()}</td>
                <td className="py-1 pr-3">
                  {e.actor} <span className="text-xs text-muted">({e.role})</span>
                </td>
                <td className="py-1 pr-3 font-mono text-xs">{e.action}</td>
                <td className="py-1 pr-3">{e.target}</td>
                <td className={`py-1 pr-3 ${e.result === "denied" ? "text-st-unhealthy" : ""}`}>
                  {e.result}
                </td>
                <td className="py-1 pr-3 text-muted">{e.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Audit pages" className="mt-2 flex gap-2 text-sm">
        {cursors.length > 0 && (
          <>
            <button
              type="button"
              className="rounded-md border border-line px-2 py-1 text-muted hover:text-fg"
              onClick={() => setCursors([])}
            >
              Newest
            </button>
            <button
              type="button"
              className="rounded-md border border-line px-2 py-1 text-muted hover:text-fg"
              onClick={() => setCursors((list) => list.slice(0, -1))}
            >
              Newer
            </button>
          </>
        )}
        {data?.older && (
          <button
            type="button"
            data-testid="audit-older"
            className="rounded-md border border-line px-2 py-1 text-muted hover:text-fg"
            onClick={() => {
              const older = data.older;
              if (older) setCursors((list) => [...list, older]);
            }}
          >
            Older
          </button>
        )}
      </nav>
    </section>
  );
}
