/*
 * The board's 24 h uptime, kept current as results arrive. It used to be a figure read from the
 * store once a minute and sent only in snapshots: after a crash the board kept "100%" while the
 * service page (which asks the store for its range) said 95.8% (issue 19). Now the figure is the
 * store's counts for the complete minutes of the last day (`rebase`, each minute) plus the results
 * seen live since the start of the current minute (`record`), and every result delta carries it.
 */

const MINUTE = 60_000;
/** Per service, bound on results held between two rebases (a store that stays down). */
const MAX_RECENT = 100_000;

export interface UptimeCounts {
  total: number;
  failed: number;
}

export class UptimeTally {
  #base = new Map<string, UptimeCounts>();
  /** Start of the live part: the store's counts cover the buckets before this instant. */
  #since = Number.NEGATIVE_INFINITY;
  readonly #recent = new Map<string, { at: number; failed: boolean }[]>();

  /** Where the store's part should end: the start of the current minute (complete buckets only). */
  static boundary(now: Date): Date {
    return new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  }

  /** One counted result, as it arrives. */
  record(service: string, at: Date, failed: boolean): void {
    const t = at.getTime();
    if (t < this.#since) return;
    let list = this.#recent.get(service);
    if (!list) {
      list = [];
      this.#recent.set(service, list);
    }
    list.push({ at: t, failed });
    if (list.length > MAX_RECENT) list.splice(0, list.length - MAX_RECENT);
  }

  /** The store's counts for the buckets before `to`; live results before `to` are now in them. */
  rebase(counts: ReadonlyMap<string, UptimeCounts>, to: Date): void {
    this.#base = new Map(counts);
    this.#since = to.getTime();
    for (const [service, list] of this.#recent) {
      const keep = list.filter((r) => r.at >= this.#since);
      if (keep.length === 0) this.#recent.delete(service);
      else this.#recent.set(service, keep);
    }
  }

  /** Share of results that did not fail, 0..1; null with no results at all. */
  get(service: string): number | null {
    const base = this.#base.get(service) ?? { total: 0, failed: 0 };
    let total = base.total;
    let failed = base.failed;
    for (const r of this.#recent.get(service) ?? []) {
      total++;
      if (r.failed) failed++;
    }
    return total > 0 ? (total - failed) / total : null;
  }

  retain(services: readonly string[]): void {
    const keep = new Set(services);
    for (const name of this.#recent.keys()) if (!keep.has(name)) this.#recent.delete(name);
  }
}
