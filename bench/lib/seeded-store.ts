import { MemoryStore } from "../../apps/web/server/testing/memory-store.ts";

/**
 * The web layer's in-memory StorePort, with full 30-point sparklines: a board that has been
 * running a while, so the snapshot measured on connect is the steady-state size, not the
 * near-empty one of a fresh start. Latencies are pseudo-random (fixed seed) like real ones, so
 * compression is not flattered by a repeating pattern.
 */
export class SeededStore extends MemoryStore {
  override async sparklines(q: {
    services: string[];
    points: number;
  }): Promise<Map<string, (number | null)[]>> {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    return new Map(
      q.services.map((s) => [
        s,
        Array.from({ length: q.points }, () => {
          const r = random();
          return r < 0.01 ? null : Math.round((0.8 + 4 * r * r + random()) * 10) / 10;
        }),
      ]),
    );
  }
}
