"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import * as z from "zod";
import { fetchJson } from "../_lib/api";

const Posted = z.object({
  notices: z.array(
    z.object({ pageId: z.string(), slug: z.string(), noticeId: z.string(), created: z.boolean() }),
  ),
});
const STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
const field = "rounded border border-line bg-surface px-1 py-0.5";

/**
 * "Post a public update" from an alerting incident: the server puts it on every status page
 * that shows the incident's root-cause service (opening a notice there, or adding to the one
 * already linked). What is typed here is what the public reads; nothing of the incident is.
 */
export function PublicUpdateForm({ incidentKey }: { incidentKey: string }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState("");
  const qc = useQueryClient();
  const post = useMutation({
    mutationFn: (body: { title: string; status: string; body: string }) =>
      fetchJson(`/api/alerts/incidents/${encodeURIComponent(incidentKey)}/public-update`, Posted, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    onSuccess: (r) => {
      setResult(
        `Posted on ${r.notices.map((n) => `/status/${n.slug}${n.created ? " (new notice)" : ""}`).join(", ")}.`,
      );
      return qc.invalidateQueries({ queryKey: ["status-pages"] });
    },
  });
  if (!open)
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-1 ml-2 rounded border border-line px-2 py-0.5"
      >
        Post a public update
      </button>
    );
  return (
    <form
      className="mt-2 flex flex-wrap items-center gap-2"
      aria-label="Post a public update"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setResult("");
        post.mutate({
          title: String(f.get("title") ?? ""),
          status: String(f.get("status")),
          body: String(f.get("body") ?? ""),
        });
      }}
    >
      <input
        name="title"
        required
        maxLength={200}
        placeholder="Public title"
        aria-label="Public title"
        className={field}
      />
      <select name="status" aria-label="Public status" className={field} defaultValue="investigating">
        {STATUSES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <input
        name="body"
        required
        maxLength={5000}
        placeholder="What the public reads (no internal names)"
        aria-label="Public update text"
        className={`${field} grow`}
      />
      <button
        type="submit"
        disabled={post.isPending}
        className="rounded border border-line px-2 py-0.5 font-semibold"
      >
        {post.isPending ? "Posting…" : "Post"}
      </button>
      {post.error ? (
        <span role="alert" className="text-st-unhealthy">
          {post.error.message}
        </span>
      ) : (
        <span role="status" className="text-muted">
          {result}
        </span>
      )}
    </form>
  );
}
