"use client";

import { useQuery } from "@tanstack/react-query";
import { AuditResponse } from "../../lib/auth-contract";
import { fetchJson } from "../_lib/api";

/** The audit trail: who asked for what, allowed or denied, newest first. */
export function AuditList() {
  const { data, error } = useQuery({
    queryKey: ["audit"],
    queryFn: ({ signal }) => fetchJson("/api/audit?limit=100", AuditResponse, { signal }),
    refetchInterval: 15_000,
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
    </section>
  );
}
