"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "../_lib/api";
import { Anything, buttonClass, idOf, inputClass } from "./contract";

type Target = { kind: "service" | "group"; ref: string };

/** A new page: slug, title, optional password and domain, and components under public names. */
export function CreatePageForm({ targets }: { targets: Target[] }) {
  const qc = useQueryClient();
  const [logo, setLogo] = useState<string | null>(null);
  const [rows, setRows] = useState<{ target: string; name: string }[]>([{ target: "", name: "" }]);
  const create = useMutation({
    mutationFn: (body: unknown) =>
      fetchJson("/api/status-pages", Anything, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    onSuccess: () => {
      setRows([{ target: "", name: "" }]);
      return qc.invalidateQueries({ queryKey: ["status-pages"] });
    },
  });
  return (
    <form
      className="mt-6 space-y-2 rounded border border-line p-3 text-sm"
      aria-label="New status page"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const text = (k: string) => String(f.get(k) ?? "").trim();
        create.mutate({
          slug: text("slug"),
          title: text("title"),
          description: text("description"),
          logoUrl: text("logoUrl") || null,
          customDomain: text("customDomain") || null,
          ...(text("password") ? { password: text("password") } : {}),
          ...(logo ? { logoData: logo } : {}),
          components: rows
            .filter((r) => r.target && r.name)
            .map((r) => {
              const [kind, ...ref] = r.target.split(":");
              return { id: idOf(r.name), kind, ref: ref.join(":"), name: r.name };
            }),
        });
      }}
    >
      <h2 className="text-base font-semibold">New status page</h2>
      <div className="flex flex-wrap gap-2">
        <input name="slug" placeholder="slug" required className={inputClass} aria-label="Slug" />
        <input name="title" placeholder="Title" required className={inputClass} aria-label="Title" />
        <input name="description" placeholder="Description" className={inputClass} aria-label="Description" />
        <input name="logoUrl" placeholder="https://…/logo.png" className={inputClass} aria-label="Logo URL" />
        <label className="flex items-center gap-1">
          Logo file
          <input
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            aria-label="Logo file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              // Sent as base64; the server checks the type (by content) and the 32 kB limit.
              if (!file || file.size > 32 * 1024) {
                e.target.setCustomValidity(file ? "at most 32 kB" : "");
                setLogo(null);
                return;
              }
              e.target.setCustomValidity("");
              setLogo(btoa(String.fromCharCode(...new Uint8Array(await file.arrayBuffer()))));
            }}
          />
        </label>
        <input
          name="customDomain"
          placeholder="status.example.com"
          className={inputClass}
          aria-label="Custom domain"
        />
        <input
          name="password"
          type="password"
          placeholder="Password (optional)"
          className={inputClass}
          aria-label="Password"
          autoComplete="new-password"
        />
      </div>
      {rows.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
        <div key={i} className="flex gap-2">
          <select
            aria-label={`Component ${i + 1}`}
            className={inputClass}
            value={r.target}
            onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, target: e.target.value } : x)))}
          >
            <option value="">service or group…</option>
            {targets.map((t) => (
              <option key={`${t.kind}:${t.ref}`} value={`${t.kind}:${t.ref}`}>
                {t.kind} {t.ref}
              </option>
            ))}
          </select>
          <input
            aria-label={`Public name ${i + 1}`}
            placeholder="Public name"
            className={inputClass}
            value={r.name}
            onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
          />
        </div>
      ))}
      <div className="flex gap-2">
        <button
          type="button"
          className={buttonClass}
          onClick={() => setRows([...rows, { target: "", name: "" }])}
        >
          Add component
        </button>
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          Create page
        </button>
      </div>
      {create.error ? <p className="text-st-unhealthy">{create.error.message}</p> : null}
    </form>
  );
}
