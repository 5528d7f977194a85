"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, fetchJson, keys } from "../_lib/api";
import { useCanAct } from "../_lib/session";
import { BadgesPanel } from "./BadgesPanel";
import { CreatePageForm } from "./CreatePageForm";
import { Anything, buttonClass, PagesResponse } from "./contract";
import { NoticeForm } from "./NoticeForm";
import { NoticeList } from "./NoticeList";
import { ReportsPanel } from "./ReportsPanel";

/** Operators manage public status pages, their notices and badges here (admins and operators only). */
export function StatusPagesView() {
  const { canAct, why } = useCanAct();
  const qc = useQueryClient();
  const pages = useQuery({
    queryKey: ["status-pages"],
    queryFn: ({ signal }) => fetchJson("/api/status-pages", PagesResponse, { signal }),
    enabled: canAct,
  });
  const services = useQuery({
    queryKey: keys.services,
    queryFn: ({ signal }) => api.services(signal),
    enabled: canAct,
  });
  const remove = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/status-pages/${id}/delete`, Anything, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["status-pages"] }),
  });
  if (!canAct)
    return <p className="p-5 text-sm text-muted">Status pages are managed by operators ({why}).</p>;
  const list = services.data?.services ?? [];
  const targets = [
    ...[...new Set(list.map((s) => s.group))].sort().map((g) => ({ kind: "group" as const, ref: g })),
    ...list.map((s) => ({ kind: "service" as const, ref: s.name })),
  ];
  return (
    <main className="mx-auto max-w-5xl p-5">
      <h1 className="text-lg font-semibold">Status pages</h1>
      <p className="text-sm text-muted">
        Public pages show only the names you give components here, their status and the updates you write.
      </p>
      <ul className="mt-4 space-y-4" data-testid="status-page-list">
        {(pages.data?.pages ?? []).map((p) => (
          <li key={p.id} className="rounded border border-line p-3">
            <div className="flex flex-wrap items-center gap-3">
              <a
                className="font-semibold underline"
                href={`/status/${p.slug}`}
                target="_blank"
                rel="noreferrer"
              >
                {p.title}
              </a>
              <span className="font-mono text-xs text-muted">/status/{p.slug}</span>
              {p.hasPassword ? <span className="text-xs text-muted">password</span> : null}
              {p.customDomain ? <span className="text-xs text-muted">{p.customDomain}</span> : null}
              <button type="button" className={`${buttonClass} ml-auto`} onClick={() => remove.mutate(p.id)}>
                Delete
              </button>
            </div>
            <p className="text-sm text-muted">
              {p.components.map((c) => `${c.name} (${c.kind} ${c.ref})`).join(", ")}
            </p>
            <NoticeForm page={p} />
            <NoticeList pageId={p.id} />
          </li>
        ))}
      </ul>
      <CreatePageForm targets={targets} />
      <BadgesPanel targets={targets} />
      <ReportsPanel targets={targets} />
    </main>
  );
}
