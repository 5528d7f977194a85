"use client";

import { useHydrated } from "../_lib/hooks";
import { zoneLabel } from "../_lib/time";

/** "Times in Europe/Berlin (UTC+01:00)": every rendered time is local, so say which local. */
export function ZoneNote() {
  const hydrated = useHydrated();
  return <p className="text-xs text-muted">Times in {hydrated ? zoneLabel() : "your time zone"}</p>;
}
