import { createHash } from "node:crypto";
import { withTimeout } from "../async.ts";
import { barsStart, type CountPoint } from "./bars.ts";
import { membersOf, publicStatus } from "./components.ts";
import type { StatusData } from "./data.ts";
import { type NoticeRow, noticeClosed, type PageRow } from "./model.ts";
import type { StatusStore } from "./store.ts";
import { buildView, type PublicView } from "./view.ts";

const PAGES_TTL_MS = 30_000;
const NOTICES_TTL_MS = 30_000;
const BARS_TTL_MS = 5 * 60_000;
const DAY = 86_400_000;
const LOAD_TIMEOUT_MS = 5000;
const RETRY_MS = 5000;

interface Timed<T> {
  at: number;
  version: number;
  value: T;
}

/*
 * What public requests read, held in memory: the pages (by slug and by custom domain), each
 * page's notices and 90-day points. Under load every request is a few map lookups; the database
 * is asked again only after an operator's write (store.version) or a short TTL, and concurrent
 * misses share one query.
 */
export class PublicSite {
  #pages: Promise<Timed<{ bySlug: Map<string, PageRow>; byDomain: Map<string, PageRow> }>> | null = null;
  readonly #notices = new Map<string, Promise<Timed<NoticeRow[]>>>();
  readonly #points = new Map<string, Promise<Timed<Map<string, CountPoint[]>>>>();

  constructor(
    private readonly store: StatusStore,
    private readonly data: StatusData,
    private readonly now: () => Date = () => new Date(),
  ) {}

  #fresh<T>(t: Timed<T>, ttl: number, versioned: boolean): boolean {
    return this.now().getTime() - t.at < ttl && (!versioned || t.version === this.store.version);
  }

  async #cached<T>(
    slot: Promise<Timed<T>> | null | undefined,
    ttl: number,
    versioned: boolean,
    load: () => Promise<T>,
    keep: (p: Promise<Timed<T>>) => void,
  ): Promise<T> {
    const old = slot ? await slot.catch(() => null) : null;
    if (old && this.#fresh(old, ttl, versioned)) return old.value;
    const version = this.store.version;
    const at = this.now().getTime();
    const next = withTimeout(load(), LOAD_TIMEOUT_MS, "status page data").then(
      (value) => ({ at, version, value }),
      (err: unknown) => {
        // A status page is read most when things are down, the database included: the last good
        // answer keeps being served, and the database is asked again after RETRY_MS.
        if (!old) throw err;
        return { at: at - ttl + RETRY_MS, version, value: old.value };
      },
    );
    keep(next);
    return (await next).value;
  }

  async #allPages() {
    return this.#cached(
      this.#pages,
      PAGES_TTL_MS,
      true,
      async () => {
        const pages = await this.store.pages();
        return {
          bySlug: new Map(pages.map((p) => [p.slug, p])),
          byDomain: new Map(pages.flatMap((p) => (p.customDomain ? [[p.customDomain, p] as const] : []))),
        };
      },
      (p) => {
        this.#pages = p;
      },
    );
  }

  async bySlug(slug: string): Promise<PageRow | null> {
    return (await this.#allPages()).bySlug.get(slug) ?? null;
  }

  async byDomain(host: string): Promise<PageRow | null> {
    return (await this.#allPages()).byDomain.get(host) ?? null;
  }

  async notices(page: PageRow): Promise<NoticeRow[]> {
    return this.#cached(
      this.#notices.get(page.id),
      NOTICES_TTL_MS,
      true,
      () => this.store.notices(page.id, new Date(this.now().getTime() - 90 * DAY)),
      (p) => this.#notices.set(page.id, p),
    );
  }

  async points(page: PageRow): Promise<Map<string, CountPoint[]>> {
    return this.#cached(
      this.#points.get(page.id),
      BARS_TTL_MS,
      false,
      async () => {
        const now = this.now();
        const names = new Set(
          page.components.flatMap((c) => membersOf(c, this.data.services()).map((m) => m.name)),
        );
        const out = new Map<string, CountPoint[]>();
        for (const name of names) out.set(name, await this.data.points(name, barsStart(now, 90), now));
        return out;
      },
      (p) => this.#points.set(page.id, p),
    );
  }

  /**
   * The inputs the page's rendering depends on, as one string: same key → same output. Includes
   * each component's current public status, so a status change misses the render cache at once.
   */
  async renderKey(page: PageRow): Promise<{ key: string; version: string }> {
    const services = this.data.services();
    const statuses = page.components.map((c) => publicStatus(membersOf(c, services), false)).join(",");
    const [notices] = await Promise.all([this.notices(page), this.points(page)]);
    const points = this.#points.get(page.id);
    const pointsAt = points ? ((await points.catch(() => null))?.at ?? 0) : 0;
    const noticesAt = (await this.#notices.get(page.id)?.catch(() => null))?.at ?? 0;
    const now = this.now();
    const phases = notices
      .map((n) => `${n.id}/${n.updates.length}/${noticeClosed(n, now)}/${n.startsAt <= now}`)
      .join(",");
    // What the reader sees change: statuses, notices, settings. The page's script compares it.
    const content = `${page.id}:${page.updatedAt.getTime()}:${this.store.version}:${statuses}:${phases}`;
    const version = createHash("sha256").update(content).digest("base64url").slice(0, 16);
    return { key: `${content}:${noticesAt}:${pointsAt}`, version };
  }

  async view(page: PageRow, logoPath: string, version: string): Promise<PublicView> {
    const [notices, points] = await Promise.all([this.notices(page), this.points(page)]);
    return buildView({
      page,
      services: this.data.services(),
      points,
      notices,
      now: this.now(),
      logoPath,
      version,
    });
  }
}
