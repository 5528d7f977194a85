"use client";

import { useQuery } from "@tanstack/react-query";
import { api, keys } from "../../_lib/api";
import { useHydrated } from "../../_lib/hooks";

/**
 * The secret URLs of this service's push checks, with the curl lines a job uses. Operators only:
 * the server answers 403 to everyone else, and the URL is the job's only credential.
 */
export function PushUrls({ service }: { service: string }) {
  const hydrated = useHydrated();
  const q = useQuery({
    queryKey: keys.pushUrls(service),
    queryFn: ({ signal }) => api.pushUrls(service, signal),
    staleTime: 60_000,
  });
  if (!q.data || q.data.checks.length === 0) return null;
  const origin = hydrated ? window.location.origin : "";
  return (
    <section aria-labelledby="push-title" className="rounded-lg border border-line bg-surface p-4">
      <h2 id="push-title" className="mb-1 font-semibold">
        Push URLs
      </h2>
      <p className="mb-3 text-xs text-muted">
        Keep these secret: anyone holding a URL can report for its job. POST only; a GET never counts.
      </p>
      <ul className="space-y-3">
        {q.data.checks.map(({ check, path }) => {
          const url = `${origin}${path}`;
          return (
            <li key={check} data-testid="push-url" data-check={check} className="space-y-1">
              <p className="text-sm font-semibold">{check}</p>
              <code className="block break-all rounded bg-surface-2 px-2 py-1 font-mono text-xs">{url}</code>
              <pre className="overflow-x-auto whitespace-pre-wrap break-all font-mono text-[11px] text-muted">
                {[
                  `curl -fsS -m 10 -X POST ${url}/start`,
                  `out=$(./job.sh 2>&1); code=$?`,
                  `printf '%s' "$out" | tail -n 20 | curl -fsS -m 10 --data-binary @- ${url}/$code`,
                ].join("\n")}
              </pre>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
