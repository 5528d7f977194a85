/*
 * Time is UTC inside and in URLs (ISO-8601 with an explicit +00:00 offset); it becomes local only
 * when rendered, always next to the zone it is rendered in.
 */

/** `2026-11-23T10:00:00.000+00:00`: an absolute instant with an explicit offset, for URLs and APIs. */
export function isoWithOffset(date: Date | number): string {
  return new Date(date).toISOString().replace("Z", "+00:00");
}

export function parseInstant(text: string | undefined | null): Date | null {
  if (!text) return null;
  // A `+` in a query string that was not encoded arrives as a space.
  const date = new Date(text.replace(" ", "+"));
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** HH:MM:SS in the viewer's zone. */
export function clockTime(date: Date | number | string): string {
  const d = new Date(date);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** YYYY-MM-DD HH:MM:SS in the viewer's zone. */
export function localDateTime(date: Date | number | string): string {
  const d = new Date(date);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(d)}`;
}

/** Short date+time for chart axes: "10:42" within a day, "Nov 23 10:42" beyond. */
export function axisTime(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (spanMs <= 36 * 3_600_000) return hm;
  return `${d.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${hm}`;
}

/** The viewer's zone, e.g. "Europe/Berlin (UTC+01:00)". */
export function zoneLabel(at: Date = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offsetMin = -at.getTimezoneOffset();
  const sign = offsetMin >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMin);
  return `${zone} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}

/** "45 s", "3 m", "2 h 5 m", "3 d 4 h": compact elapsed time for tiles. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} m` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "1.2 s" / "340 ms" / "12.5 ms". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "no data";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return "no data";
  const p = share * 100;
  if (p === 100) return "100%";
  return `${p >= 99 ? p.toFixed(2) : p.toFixed(1)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${bytes} B`;
}
