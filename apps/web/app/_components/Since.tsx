"use client";

import type { ServiceStatus } from "../../lib/contract";
import { useHydrated, useNow } from "../_lib/hooks";
import { statusVerb } from "../_lib/status";
import { localDateTime, shortDuration } from "../_lib/time";

/** "down 3 m", live-updating; the exact local time in the tooltip. */
export function Since({
  iso,
  status,
  short = false,
}: {
  iso: string;
  status: ServiceStatus;
  short?: boolean;
}) {
  const now = useNow(1000);
  const hydrated = useHydrated();
  const at = Date.parse(iso);
  if (!hydrated) return <span>…</span>;
  const d = shortDuration(now - at);
  return (
    <time dateTime={iso} title={`${statusVerb(status)} since ${localDateTime(at)}`}>
      {short ? d : `${statusVerb(status)} ${d}`}
    </time>
  );
}
