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

/** One service's live results, oldest first: two parallel arrays, no object per result. */
interface Recent {
  at: number[];
  failed: boolean[];
}

export class UptimeTally {
  #base = new Map<string, UptimeCounts>();
  /** Start of the live part: the store's counts cover the buckets before this instant. */
  #since = Number.NEGATIVE_INFINITY;
  readonly #recent = new Map<string, Recent>();

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
      list = { at: [], failed: [] };
      this.#recent.set(service, list);
    }
    list.at.push(t);
    list.failed.push(failed);
    if (list.at.length > MAX_RECENT) {
      const over = list.at.length - MAX_RECENT;
      list.at.splice(0, over);
      list.failed.splice(0, over);
    }
  }

  /** The store's counts for the buckets before `to`; live results before `to` are now in them. */
  rebase(counts: ReadonlyMap<string, UptimeCounts>, to: Date): void {
    this.#base = new Map(counts);
    this.#since = to.getTime();
    for (const [service, list] of this.#recent) {
      const keep: Recent = { at: [], failed: [] };
      list.at.forEach((t, i) => {
        if (t < this.#since) return;
        keep.at.push(t);
        keep.failed.push(list.failed[i] ?? false);
      });
      if (keep.at.length === 0) this.#recent.delete(service);
      else this.#recent.set(service, keep);
    }
  }

  /** Share of results that did not fail, 0..1; null with no results at all. */
  get(service: string): number | null {
    const base = this.#base.get(service);
    const recent = this.#recent.get(service)?.failed;
    let total = base?.total ?? 0;
    let failed = base?.failed ?? 0;
    if (recent) {
      total += recent.length;
      for (const f of recent) if (f) failed++;
    }
    return total > 0 ? (total - failed) / total : null;
  }

  retain(services: readonly string[]): void {
    const keep = new Set(services);
    for (const name of this.#recent.keys()) if (!keep.has(name)) this.#recent.delete(name);
  }
}
