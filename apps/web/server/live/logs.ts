import type { LogLine } from "../../lib/contract.ts";

/**
 * Recent output lines per service, with stream and time, taken from `service.log` events. The
 * runners keep plain strings; this keeps what the detail panel shows. Bounded per service.
 */
export class LogRings {
  readonly #rings = new Map<string, LogLine[]>();

  constructor(private readonly perService = 500) {}

  push(line: LogLine): void {
    let ring = this.#rings.get(line.service);
    if (!ring) {
      ring = [];
      this.#rings.set(line.service, ring);
    }
    ring.push(line);
    if (ring.length > this.perService) ring.splice(0, ring.length - this.perService);
  }

  recent(service: string, lines: number): LogLine[] {
    return (this.#rings.get(service) ?? []).slice(-lines);
  }

  count(service: string): number {
    return this.#rings.get(service)?.length ?? 0;
  }

  retain(services: Iterable<string>): void {
    const keep = new Set(services);
    for (const name of this.#rings.keys()) if (!keep.has(name)) this.#rings.delete(name);
  }
}
