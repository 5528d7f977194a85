"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import * as z from "zod";
import { fetchJson } from "../_lib/api";
import { buttonClass, inputClass } from "./contract";

const Shared = z.object({ url: z.string(), expiresAt: z.string() });

/** Uptime reports: a month or a range, an SLO; CSV/JSON for the operator, or a signed link to share. */
export function ReportsPanel({ targets }: { targets: { kind: "service" | "group"; ref: string }[] }) {
  const [link, setLink] = useState<string | null>(null);
  const [query, setQuery] = useState<string | null>(null);
  const share = useMutation({
    mutationFn: (body: unknown) =>
      fetchJson("/api/reports/share", Shared, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    onSuccess: (s) => setLink(`${window.location.origin}${s.url}`),
  });
  const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
  return (
    <section className="mt-6 text-sm" aria-labelledby="reports-heading">
      <h2 id="reports-heading" className="text-base font-semibold">
        Uptime reports
      </h2>
      <form
        className="mt-2 flex flex-wrap gap-2"
        aria-label="Uptime report"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const [kind, ...ref] = String(f.get("target")).split(":");
          const body = {
            kind,
            target: ref.join(":"),
            month: String(f.get("month")),
            slo: Number(f.get("slo")),
          };
          setQuery(new URLSearchParams({ ...body, slo: String(body.slo), kind: kind ?? "" }).toString());
          share.mutate({ ...body, expiresInHours: 24 * 7 });
        }}
      >
        <select name="target" required className={inputClass} aria-label="Report target">
          {targets.map((t) => (
            <option key={`${t.kind}:${t.ref}`} value={`${t.kind}:${t.ref}`}>
              {t.kind} {t.ref}
            </option>
          ))}
        </select>
        <input
          name="month"
          type="month"
          defaultValue={lastMonth}
          required
          className={inputClass}
          aria-label="Month"
        />
        <label className="flex items-center gap-1">
          SLO %
          <input
            name="slo"
            type="number"
            step="0.01"
            min="50"
            max="100"
            defaultValue="99.9"
            className={inputClass}
          />
        </label>
        <button type="submit" className={buttonClass} disabled={share.isPending}>
          Make report
        </button>
      </form>
      {link ? (
        <p className="mt-2">
          <a className="underline" href={link} target="_blank" rel="noreferrer">
            Report page
          </a>{" "}
          (share link, valid 7 days: <code className="break-all">{link}</code>) ·{" "}
          <a className="underline" href={`/api/reports?${query}&format=csv`}>
            CSV
          </a>{" "}
          ·{" "}
          <a className="underline" href={`/api/reports?${query}`}>
            JSON
          </a>
        </p>
      ) : null}
      {share.error ? <p className="text-st-unhealthy">{share.error.message}</p> : null}
    </section>
  );
}
