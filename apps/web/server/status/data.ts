import type { HistoryPoint } from "../../lib/contract.ts";
import type { StorePort } from "../ports.ts";
import type { CountPoint } from "./bars.ts";
import type { ServiceState } from "./components.ts";

const DAY = 86_400_000;

/** What public routes read: current statuses and rollup points. Nothing else of the server. */
export interface StatusData {
  services(): readonly ServiceState[];
  /** Rollup points of one service (all checks); minute rollups up to 3 days, hour beyond. */
  points(service: string, from: Date, to: Date): Promise<(CountPoint & { avg: number | null })[]>;
}

export function storeData(store: StorePort, services: () => readonly ServiceState[]): StatusData {
  return {
    services,
    async points(service, from, to) {
      const span = to.getTime() - from.getTime();
      const { points } = await store.history({
        service,
        check: null,
        from,
        to,
        resolution: span <= 3 * DAY ? "minute" : "hour",
      });
      return points.map((p: HistoryPoint) => ({
        t: new Date(p.t),
        count: p.count,
        failures: p.failures,
        avg: p.avg,
      }));
    },
  };
}
