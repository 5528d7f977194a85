import Link from "next/link";
import { memo } from "react";
import type { ServiceView } from "../../lib/contract";
import { StatusIcon } from "../_components/icons";
import { rootCauses, STATUS_META } from "../_lib/status";

/** At the top of the board during an outage: what is failing, why, and what it takes down. */
export const RootCauses = memo(function RootCauses({ services }: { services: readonly ServiceView[] }) {
  const causes = [...rootCauses(services)];
  if (causes.length === 0) return null;
  const byName = new Map(services.map((s) => [s.name, s]));
  return (
    <section aria-label="Root causes" data-testid="board-root-causes" className="mb-4 space-y-1.5">
      {causes.map((name) => {
        const s = byName.get(name);
        if (!s) return null;
        const m = STATUS_META[s.status];
        const blocked = services
          .filter((x) => x.status === "blocked" && x.blockedBy.includes(name))
          .map((x) => x.name);
        return (
          <p
            key={name}
            className={`flex flex-wrap items-center gap-x-2 rounded-md px-3 py-2 text-sm ${m.bg} ${m.text}`}
          >
            <StatusIcon status={s.status} size={16} />
            <Link href={`/services/${encodeURIComponent(name)}`} className="font-bold underline">
              {name}
            </Link>
            <span className="font-semibold">is {m.word}</span>
            <span className="min-w-0 truncate text-fg/80" title={s.reason}>
              {s.reason}
            </span>
            {blocked.length > 0 ? (
              <span className="font-semibold">· blocking {blocked.join(", ")}</span>
            ) : null}
          </p>
        );
      })}
    </section>
  );
});
