import { barsStart, type CountPoint, type DayBar, dailyBars, overallUptime } from "./bars.ts";
import { membersOf, overall, type PublicStatus, publicStatus, type ServiceState } from "./components.ts";
import { type NoticeRow, noticeClosed, type PageRow } from "./model.ts";

/*
 * The public view of one page: the only shape the HTML, the JSON and the feed are rendered from,
 * so what can leak is decided here once. It holds public names, five status words, day bars and
 * what operators wrote; no internal name, host, reason or log line.
 */

export interface PublicUpdate {
  status: string;
  body: string;
  at: string;
}

export interface PublicNotice {
  id: string;
  kind: "incident" | "maintenance";
  title: string;
  status: string;
  /** Public names of the affected components. */
  components: string[];
  startsAt: string;
  endsAt: string | null;
  updates: PublicUpdate[];
}

export interface PublicComponent {
  id: string;
  name: string;
  status: PublicStatus;
  uptime90d: number | null;
  bars: DayBar[];
}

export interface PublicView {
  slug: string;
  title: string;
  description: string;
  logo: string | null;
  status: PublicStatus;
  generatedAt: string;
  /** Changes when anything a reader sees changes; the page reloads when its JSON says so. */
  version: string;
  components: PublicComponent[];
  active: PublicNotice[];
  upcoming: PublicNotice[];
  past: PublicNotice[];
}

export interface ViewInput {
  page: PageRow;
  services: readonly ServiceState[];
  /** Rollup points per internal service name (90 days, hourly). */
  points: ReadonlyMap<string, readonly CountPoint[]>;
  notices: readonly NoticeRow[];
  now: Date;
  /** Where the uploaded logo is served (depends on slug or custom-domain routing). */
  logoPath: string;
  version: string;
}

export function buildView(input: ViewInput): PublicView {
  const { page, now } = input;
  const names = new Map(page.components.map((c) => [c.id, c.name]));
  const toPublic = (n: NoticeRow): PublicNotice => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    status: n.updates[0]?.status ?? "",
    components: n.components.flatMap((id) => {
      const name = names.get(id);
      return name ? [name] : [];
    }),
    startsAt: n.startsAt.toISOString(),
    endsAt: n.endsAt ? n.endsAt.toISOString() : null,
    updates: n.updates.map((u) => ({ status: u.status, body: u.body, at: u.at.toISOString() })),
  });
  const open = input.notices.filter((n) => !noticeClosed(n, now));
  const started = open.filter((n) => n.startsAt <= now);
  const inMaintenance = new Set(started.filter((n) => n.kind === "maintenance").flatMap((n) => n.components));

  const components = page.components.map((c): PublicComponent => {
    const members = membersOf(c, input.services);
    const start = barsStart(now, 90).getTime();
    const pts = members.flatMap((m) => input.points.get(m.name) ?? []).filter((p) => p.t.getTime() >= start);
    return {
      id: c.id,
      name: c.name,
      status: publicStatus(members, inMaintenance.has(c.id)),
      uptime90d: overallUptime(pts),
      bars: dailyBars(pts, now),
    };
  });
  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    logo: page.logoData ? input.logoPath : page.logoUrl,
    status: overall(components.map((c) => c.status)),
    generatedAt: now.toISOString(),
    version: input.version,
    components,
    active: started.map(toPublic),
    upcoming: open.filter((n) => n.startsAt > now).map(toPublic),
    past: input.notices.filter((n) => noticeClosed(n, now)).map(toPublic),
  };
}
