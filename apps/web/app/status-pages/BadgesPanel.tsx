"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "../_lib/api";
import { Anything, BadgeCreated, BadgesResponse, buttonClass, inputClass } from "./contract";

/** Badges behind unguessable keys: the URL is shown once, on creation; revoking makes it 404. */
export function BadgesPanel({ targets }: { targets: { kind: "service" | "group"; ref: string }[] }) {
  const qc = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const badges = useQuery({
    queryKey: ["badges"],
    queryFn: ({ signal }) => fetchJson("/api/badges", BadgesResponse, { signal }),
  });
  const create = useMutation({
    mutationFn: (body: unknown) =>
      fetchJson("/api/badges", BadgeCreated, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    onSuccess: (b) => {
      setCreated(`${window.location.origin}${b.url}`);
      return qc.invalidateQueries({ queryKey: ["badges"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/badges/${id}/revoke`, Anything, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["badges"] }),
  });
  return (
    <section className="mt-6 text-sm" aria-labelledby="badges-heading">
      <h2 id="badges-heading" className="text-base font-semibold">
        Badges
      </h2>
      <form
        className="mt-2 flex flex-wrap gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const [targetKind, ...ref] = String(f.get("target")).split(":");
          const metric = String(f.get("metric"));
          create.mutate({
            targetKind,
            target: ref.join(":"),
            metric,
            window: metric === "uptime" || metric === "latency" ? String(f.get("window")) : null,
          });
        }}
      >
        <select name="target" required className={inputClass} aria-label="Badge target">
          {targets.map((t) => (
            <option key={`${t.kind}:${t.ref}`} value={`${t.kind}:${t.ref}`}>
              {t.kind} {t.ref}
            </option>
          ))}
        </select>
        <select name="metric" className={inputClass} aria-label="Metric">
          <option value="status">status</option>
          <option value="uptime">uptime</option>
          <option value="latency">latency</option>
          <option value="cert">certificate expiry</option>
        </select>
        <select name="window" className={inputClass} aria-label="Window">
          {["24h", "7d", "30d", "90d"].map((w) => (
            <option key={w}>{w}</option>
          ))}
        </select>
        <button type="submit" className={buttonClass}>
          Create badge
        </button>
      </form>
      {created ? (
        <p className="mt-2">
          New badge (copy it now, it is not shown again): <code className="break-all">{created}</code>
        </p>
      ) : null}
      <ul className="mt-2">
        {(badges.data?.badges ?? []).map((b) => (
          <li key={b.id} className="flex gap-2">
            <span>
              {b.metric} {b.window ?? ""} of {b.targetKind} {b.target}
            </span>
            {b.revokedAt ? (
              <span className="text-muted">revoked</span>
            ) : (
              <button type="button" className={buttonClass} onClick={() => revoke.mutate(b.id)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
