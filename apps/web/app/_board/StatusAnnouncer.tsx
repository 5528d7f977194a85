"use client";

import { useEffect, useRef, useState } from "react";
import type { ServiceView } from "../../lib/contract";
import { statusDetail } from "../_lib/status";
import { statusChanges } from "./derive";

/** Screen readers hear status changes ("core-api is now unhealthy: …"), politely, a few at a time. */
export function StatusAnnouncer({ services }: { services: readonly ServiceView[] }) {
  const prev = useRef<readonly ServiceView[] | null>(null);
  const [text, setText] = useState("");
  useEffect(() => {
    const before = prev.current;
    prev.current = services;
    if (!before) return;
    const changes = statusChanges(before, services);
    if (changes.length === 0) return;
    const shown = changes
      .slice(0, 3)
      .map((s) => `${s.name} is now ${s.status}${s.status === "healthy" ? "" : `: ${statusDetail(s)}`}`);
    if (changes.length > 3) shown.push(`and ${changes.length - 3} more changes`);
    setText(shown.join(". "));
  }, [services]);
  return (
    <div aria-live="polite" className="sr-only" data-testid="announcer">
      {text}
    </div>
  );
}
