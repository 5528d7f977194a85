"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TokenCreated, TokenScope } from "../../lib/tokens-contract";
import { tokensApi } from "../_lib/tokens-api";

/**
 * API tokens for the CLI (`vigil login --token`), CI (VIGIL_TOKEN) and Prometheus. A new token is
 * shown once, here, right after it is made; the list shows only its first characters.
 */
export function TokensPanel() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: tokensApi.key, queryFn: ({ signal }) => tokensApi.list(signal) });
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("read");
  const [days, setDays] = useState(90);
  const [fresh, setFresh] = useState<TokenCreated | null>(null);
  const create = useMutation({
    mutationFn: () => tokensApi.create({ name, scope, expiresInDays: days }),
    onSuccess: (created) => {
      setFresh(created);
      setName("");
      void qc.invalidateQueries({ queryKey: tokensApi.key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => tokensApi.revoke(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: tokensApi.key }),
  });

  return (
    <section className="space-y-3 rounded-lg border border-line p-4" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className="font-medium">
        API tokens
      </h2>
      <form
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="flex flex-col gap-1">
          <span className="text-muted">Name</span>
          <input
            className="rounded-md border border-line bg-transparent px-2 py-1"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={80}
            placeholder="ci-deploy"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-muted">Scope</span>
          <select
            className="rounded-md border border-line bg-transparent px-2 py-1"
            value={scope}
            onChange={(e) => setScope(e.target.value as TokenScope)}
          >
            <option value="read">read</option>
            <option value="operate">operate</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-muted">Expires in (days)</span>
          <input
            className="w-24 rounded-md border border-line bg-transparent px-2 py-1"
            type="number"
            min={1}
            max={366}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
        <button type="submit" className="rounded-md border border-line px-3 py-1" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.error ? <p className="text-sm text-red-600">{create.error.message}</p> : null}
      {fresh ? (
        <div className="rounded-md border border-line p-3 text-sm" role="status">
          <p>
            Copy this token now; it is not shown again. Use it as <code>VIGIL_TOKEN</code> or with{" "}
            <code>vigil login --server {window.location.origin} --token -</code>.
          </p>
          <code className="mt-2 block break-all" data-testid="new-token">
            {fresh.token}
          </code>
          <button type="button" className="mt-2 text-muted underline" onClick={() => setFresh(null)}>
            Done
          </button>
        </div>
      ) : null}
      {list.error ? <p className="text-sm text-red-600">{list.error.message}</p> : null}
      <table className="w-full text-left text-sm">
        <thead className="text-muted">
          <tr>
            <th className="py-1">Name</th>
            <th>Token</th>
            <th>Scope</th>
            <th>Owner</th>
            <th>Expires</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data?.tokens ?? []).map((t) => {
            const dead = t.revokedAt !== null || Date.parse(t.expiresAt) <= Date.now();
            return (
              <tr key={t.id} className={dead ? "text-muted line-through" : ""}>
                <td className="py-1">{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.scope}</td>
                <td>{t.owner}</td>
                <td>{new Date(t.expiresAt).toLocaleDateString()}</td>
                <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  {dead ? null : (
                    <button
                      type="button"
                      className="text-muted underline hover:text-fg"
                      onClick={() => revoke.mutate(t.id)}
                      disabled={revoke.isPending}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
