/** Durations as people read them: 850ms, 3.2s, 4m 05s, 2h 03m, 3d 04h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
  const hours = Math.floor(minutes / 60);
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  return ms < 10 && !Number.isInteger(ms) ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`;
}

/** Time since `startedAt`, or "-" when the service is not running. */
export function formatUptime(startedAt: Date | string | undefined, now: Date): string {
  if (startedAt === undefined) return "-";
  const started = typeof startedAt === "string" ? new Date(startedAt) : startedAt;
  return formatDuration(now.getTime() - started.getTime());
}

/** Cuts text to `width` printed characters with an ellipsis, for one-line table cells. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (width <= 0) return "";
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}
