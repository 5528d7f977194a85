"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { fetchJson } from "../_lib/api";
import { Anything, buttonClass, inputClass } from "./contract";

const Notice = z.object({
  id: z.string(),
  kind: z.enum(["incident", "maintenance"]),
  title: z.string(),
  incidentId: z.string().nullable(),
  updates: z.array(z.object({ status: z.string(), body: z.string() })),
});
const PageDetail = z.object({ notices: z.array(Notice) });
const STATUSES = {
  incident: ["investigating", "identified", "monitoring", "resolved"],
  maintenance: ["scheduled", "in_progress", "completed"],
} as const;

/** A page's notices with a form each for the next public update (e.g. "resolved"). */
export function NoticeList({ pageId }: { pageId: string }) {
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: ["status-pages", pageId],
    queryFn: ({ signal }) => fetchJson(`/api/status-pages/${pageId}`, PageDetail, { signal }),
  });
  const update = useMutation({
    mutationFn: (u: { id: string; status: string; body: string }) =>
      fetchJson(`/api/status-notices/${u.id}/updates`, Anything, {
        method: "POST",
        body: JSON.stringify({ status: u.status, body: u.body }),
        headers: { "content-type": "application/json" },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["status-pages", pageId] }),
  });
  const notices = detail.data?.notices ?? [];
  if (notices.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {notices.map((n) => (
        <li key={n.id}>
          <form
            className="flex flex-wrap items-center gap-2"
            aria-label={`Update ${n.title}`}
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              update.mutate({ id: n.id, status: String(f.get("status")), body: String(f.get("body") ?? "") });
              e.currentTarget.reset();
            }}
          >
            <span className="font-semibold">{n.title}</span>
            <span className="text-muted">{n.updates[0]?.status}</span>
            {n.incidentId ? (
              <span className="rounded border border-line px-1 text-xs" title={n.incidentId}>
                linked to alerting incident
              </span>
            ) : null}
            <select
              name="status"
              className={inputClass}
              aria-label="Status"
              defaultValue={STATUSES[n.kind].at(-1)}
            >
              {STATUSES[n.kind].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <input
              name="body"
              required
              placeholder="Update"
              className={`${inputClass} grow`}
              aria-label="Update"
            />
            <button type="submit" className={buttonClass} disabled={update.isPending}>
              Add update
            </button>
          </form>
        </li>
      ))}
      {update.error ? <li className="text-st-unhealthy">{update.error.message}</li> : null}
    </ul>
  );
}
