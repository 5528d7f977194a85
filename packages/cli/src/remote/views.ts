import { EXIT } from "../exit.ts";
import type { CliIo } from "../io.ts";
import { type Palette, paintStatus } from "../ui/color.ts";
import { formatLatency, formatUptime } from "../ui/format.ts";
import { renderTable } from "../ui/table.ts";
import { api, type RemoteServer } from "./client.ts";
import { RemoteLogs, type RemoteService, RemoteServices } from "./wire.ts";

/* status, health, logs and watch answered by the server that owns the services. */

export async function fetchServices(server: RemoteServer, signal?: AbortSignal) {
  const body = await api(server, "GET", "/api/services", RemoteServices, { signal });
  const services = [...body.services].sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  return { project: body.project, services };
}

export function remoteStatusTable(services: RemoteService[], palette: Palette, now: Date): string {
  const rows = services.map((s) => [
    s.name,
    s.kind,
    paintStatus(palette, s.runtimeState),
    paintStatus(palette, s.status),
    formatLatency(s.latencyMs),
    s.runtimeState === "running" ? formatUptime(s.since, now) : "-",
    s.kind === "external" ? "-" : String(s.restarts),
    palette.dim(s.reason),
  ]);
  const headers = ["SERVICE", "KIND", "STATE", "HEALTH", "LATENCY", "SINCE", "RESTARTS", "REASON"];
  const right = new Set(["LATENCY", "SINCE", "RESTARTS"]);
  return renderTable(
    headers.map((header) => (right.has(header) ? { header, align: "right" as const } : { header })),
    rows,
    palette.dim,
  );
}

export async function remoteStatus(
  io: CliIo,
  palette: Palette,
  server: RemoteServer,
  json: boolean,
): Promise<number> {
  const { project, services } = await fetchServices(server, io.signal);
  if (json) io.stdout.write(`${JSON.stringify({ project, server: server.url, services }, null, 2)}\n`);
  else io.stdout.write(remoteStatusTable(services, palette, new Date()));
  return EXIT.ok;
}

/** The server's latest check results; exit 0 only when every check is healthy (as standalone). */
export async function remoteHealth(
  io: CliIo,
  palette: Palette,
  server: RemoteServer,
  json: boolean,
): Promise<number> {
  const { services } = await fetchServices(server, io.signal);
  const healthy = services.every((s) => s.checks.every((c) => c.state === "healthy"));
  if (json) {
    const out = services.map((s) => ({ service: s.name, status: s.status, checks: s.checks }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return healthy ? EXIT.ok : EXIT.failed;
  }
  for (const s of services) {
    if (s.checks.length === 0)
      io.stdout.write(`${palette.dim("-")} ${s.name}  ${palette.dim("no checks")}\n`);
    for (const c of s.checks) {
      const mark =
        c.state === "healthy"
          ? palette.green("✓")
          : c.state === "degraded"
            ? palette.yellow("!")
            : palette.red("✗");
      io.stdout.write(
        `${mark} ${s.name}  ${c.name}  ${paintStatus(palette, c.state)}  ${c.lastMessage ?? ""}\n`,
      );
    }
  }
  return healthy ? EXIT.ok : EXIT.failed;
}

const FOLLOW_MS = 1000;

export async function remoteLogs(
  io: CliIo,
  server: RemoteServer,
  service: string | undefined,
  opts: { lines: number; follow: boolean },
): Promise<number> {
  const names = service
    ? [service]
    : (await fetchServices(server, io.signal)).services
        .filter((s) => s.kind !== "external")
        .map((s) => s.name);
  const seen = new Map<string, string>();
  const print = async (first: boolean) => {
    for (const name of names) {
      const path = `/api/services/${encodeURIComponent(name)}/logs?lines=${Math.min(500, Math.max(1, opts.lines))}`;
      const { lines } = await api(server, "GET", path, RemoteLogs, { signal: io.signal });
      const last = seen.get(name);
      // Lines newer than the last one printed (by timestamp and text) on follow-up polls.
      const start =
        first || last === undefined ? 0 : lines.findIndex((l) => `${l.at} ${l.line}` === last) + 1;
      for (const l of lines.slice(start))
        io.stdout.write(`${names.length > 1 ? `${name} | ` : ""}${l.line}\n`);
      const tail = lines.at(-1);
      if (tail) seen.set(name, `${tail.at} ${tail.line}`);
    }
  };
  await print(true);
  while (opts.follow && !io.signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
    if (!io.signal?.aborted)
      await print(false).catch((err: unknown) => {
        if (!io.signal?.aborted) throw err;
      });
  }
  return EXIT.ok;
}

/** Redraws the status table every `intervalMs` until Ctrl-C (the server pushes nothing to the CLI). */
export async function remoteWatch(
  io: CliIo,
  palette: Palette,
  server: RemoteServer,
  intervalMs: number,
): Promise<number> {
  while (!io.signal?.aborted) {
    const { services } = await fetchServices(server, io.signal).catch((err: unknown) => {
      if (io.signal?.aborted) return { services: [] };
      throw err;
    });
    if (io.signal?.aborted) break;
    if (io.stdout.isTTY) io.stdout.write("\x1b[H\x1b[2J");
    io.stdout.write(
      `${palette.dim(`${server.url} — ${new Date().toISOString()}`)}\n${remoteStatusTable(services, palette, new Date())}\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return EXIT.ok;
}
