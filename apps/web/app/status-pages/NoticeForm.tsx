"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { alertKeys, alertsApi } from "../_lib/alerts-api";
import { fetchJson } from "../_lib/api";
import { Anything, buttonClass, inputClass, type PageSummary } from "./contract";

/** Posts an incident or maintenance with its first public update (what the public will read). */
export function NoticeForm({ page }: { page: PageSummary }) {
  const [done, setDone] = useState("");
  const qc = useQueryClient();
  // The open alerting incidents a notice may speak for (the server checks the one picked exists).
  const open = useQuery({
    queryKey: alertKeys.incidents({ state: "open" }),
    queryFn: ({ signal }) => alertsApi.incidents({ state: "open" }, signal),
  });
  const post = useMutation({
    mutationFn: (body: unknown) =>
      fetchJson(`/api/status-pages/${page.id}/notices`, Anything, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    onSuccess: () => {
      setDone("Posted.");
      return qc.invalidateQueries({ queryKey: ["status-pages", page.id] });
    },
  });
  return (
    <form
      className="mt-2 flex flex-wrap items-center gap-2 text-sm"
      aria-label={`Post a notice on ${page.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const kind = String(f.get("kind"));
        post.mutate({
          kind,
          title: String(f.get("title") ?? ""),
          status: kind === "incident" ? "investigating" : "scheduled",
          body: String(f.get("body") ?? ""),
          components: f.getAll("components").map(String),
          incidentId: String(f.get("incidentId") ?? "") || null,
        });
      }}
    >
      <select name="kind" className={inputClass} aria-label="Kind">
        <option value="incident">incident</option>
        <option value="maintenance">maintenance</option>
      </select>
      <select name="incidentId" className={inputClass} aria-label="Alerting incident" defaultValue="">
        <option value="">no alerting incident</option>
        {(open.data?.incidents ?? []).map((i) => (
          <option key={i.key} value={i.key}>
            {i.title}
          </option>
        ))}
      </select>
      <input name="title" required placeholder="Title" className={inputClass} aria-label="Notice title" />
      <input
        name="body"
        required
        placeholder="Public update"
        className={`${inputClass} grow`}
        aria-label="Public update"
      />
      {page.components.map((c) => (
        <label key={c.id} className="flex items-center gap-1">
          <input type="checkbox" name="components" value={c.id} /> {c.name}
        </label>
      ))}
      <button type="submit" className={buttonClass} disabled={post.isPending}>
        Post
      </button>
      {post.error ? (
        <span className="text-st-unhealthy">{post.error.message}</span>
      ) : (
        <span className="text-muted">{done}</span>
      )}
    </form>
  );
}
