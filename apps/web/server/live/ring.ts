/**
 * Recent latencies per service (oldest first, null = failed run), kept in memory so a socket
 * connect or GET /api/services never touches the database. Seeded once from the store at start.
 */
export class LatencyRings {
  readonly #size: number;
  readonly #rings = new Map<string, (number | null)[]>();

  constructor(size = 30) {
    this.#size = size;
  }

  push(service: string, latencyMs: number | null): void {
    let ring = this.#rings.get(service);
    if (!ring) {
      ring = [];
      this.#rings.set(service, ring);
    }
    ring.push(latencyMs === null ? null : Math.round(latencyMs * 10) / 10);
    // shift(), not splice(): a full ring drops one point per push, and splice allocates an array for it.
    while (ring.length > this.#size) ring.shift();
  }

  /** Prepends stored points older than what arrived live, keeping the bound. */
  seed(service: string, points: (number | null)[]): void {
    const live = this.#rings.get(service) ?? [];
    const merged = [...points, ...live].slice(-this.#size);
    this.#rings.set(service, merged);
  }

  get(service: string): (number | null)[] {
    return [...(this.#rings.get(service) ?? [])];
  }

  /** Forgets services that no longer exist after a config reload. */
  retain(services: Iterable<string>): void {
    const keep = new Set(services);
    for (const name of this.#rings.keys()) if (!keep.has(name)) this.#rings.delete(name);
  }
}
