import { describe, expect, it } from "vitest";
import { type ServicesResponse, SnapshotPayload } from "../../lib/contract.ts";
import type { SnapshotWire } from "../../lib/snapshot-wire.ts";
import { fleetBoard, randomBoard, seeded } from "../testing/random-board.ts";
import { encodeSnapshot } from "./snapshot-encode.ts";

/** Through JSON and the browser's parse, as a snapshot travels. */
function roundTrip(board: ServicesResponse) {
  return SnapshotPayload.safeParse(JSON.parse(JSON.stringify(encodeSnapshot(board))));
}

function decoded(board: ServicesResponse): ServicesResponse {
  const parsed = roundTrip(board);
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data;
}

describe("packed snapshot", () => {
  it("decodes to the same board, sparklines and uptime within what the UI shows", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const board = randomBoard(seeded(seed), 1 + (seed % 40));
      const back = decoded(board);
      // Everything but the two rounded fields comes back exactly, key for key.
      const exact = (b: ServicesResponse) => ({
        ...b,
        services: b.services.map(({ sparkline: _s, uptime24h: _u, ...rest }) => rest),
      });
      expect(exact(back), `seed ${seed}`).toStrictEqual(exact(board));
      board.services.forEach((s, i) => {
        const got = back.services[i];
        expect(got?.uptime24h === null, `seed ${seed}`).toBe(s.uptime24h === null);
        expect(Math.abs((got?.uptime24h ?? 0) - (s.uptime24h ?? 0))).toBeLessThanOrEqual(5e-7);
        expectSparkline(got?.sparkline ?? [], s.sparkline, `seed ${seed} ${s.name}`);
      });
    }
  });

  it("carries check values (name, unit, thousandths) and leaves checks without values as they were", () => {
    const board = randomBoard(seeded(11), 3);
    const service = board.services[0];
    const first = service?.checks[0];
    if (!service || !first) throw new Error("random board without checks");
    service.checks[0] = {
      ...first,
      values: [
        { name: "days_remaining", value: 12.4, unit: "days" },
        { name: "queue_depth", value: 0, unit: "" },
        { name: "delta", value: -3.125, unit: "ms" },
      ],
    };
    // Sparklines and uptime are rounded on the wire (tested above); checks come back exactly.
    const checks = (b: ServicesResponse) => b.services.map((s) => s.checks);
    expect(checks(decoded(board))).toStrictEqual(checks(board));
  });

  it("carries Docker's health of a check and leaves checks without one as they were (issue 15)", () => {
    const board = randomBoard(seeded(12), 3);
    const service = board.services[0];
    const first = service?.checks[0];
    if (!service || !first) throw new Error("random board without checks");
    service.checks[0] = { ...first, kind: "docker", dockerHealth: "starting" };
    const checks = (b: ServicesResponse) => b.services.map((s) => s.checks);
    const back = decoded(board);
    expect(checks(back)).toStrictEqual(checks(board));
    expect(back.services[0]?.checks[0]?.dockerHealth).toBe("starting");
  });

  it("keeps a 1,000-service board with full sparklines under 100 kB", () => {
    const board = fleetBoard(seeded(7), 1000);
    const bytes = Buffer.byteLength(JSON.stringify(encodeSnapshot(board)));
    expect(bytes).toBeLessThan(100_000);
    // The same board as plain JSON, for scale.
    expect(Buffer.byteLength(JSON.stringify(board))).toBeGreaterThan(5 * bytes);
  });

  it("refuses a payload that does not add up, naming where", () => {
    const wire = encodeSnapshot(randomBoard(seeded(3), 5));
    const broken = (change: (w: SnapshotWire) => void) => {
      const copy: SnapshotWire = structuredClone(wire);
      change(copy);
      const parsed = SnapshotPayload.safeParse(copy);
      return parsed.success ? "decoded" : parsed.error.issues.map((i) => i.message).join("; ");
    };
    expect(broken(() => undefined)).toBe("decoded");
    expect(broken((w) => (w.services.wave = w.services.wave.slice(1)))).toMatch(/services.wave: ended early/);
    expect(broken((w) => (w.services.restarts += "A"))).toMatch(/services.restarts: 1 digits left over/);
    expect(broken((w) => (w.strings = []))).toMatch(/strings: no entry/);
    expect(broken((w) => (w.names = w.names.slice(1)))).toMatch(/left over/);
    expect(broken((w) => (w.services.status = "Z".repeat(5)))).toMatch(/status: no entry/);
    expect(broken((w) => (w.services.kind = "A A"))).toMatch(/base64 VLQ/);
    expect(broken((w) => Object.assign(w, { format: 1 }))).not.toBe("decoded");
  });
});

/** Same length and failed runs; min and max exact; exact within 6.2 ms; else within 1/124 of the span. */
function expectSparkline(got: (number | null)[], want: (number | null)[], label: string): void {
  expect(
    got.map((p) => p === null),
    label,
  ).toEqual(want.map((p) => p === null));
  const known = want.filter((p): p is number => p !== null);
  if (known.length === 0) return;
  const span = Math.max(...known) - Math.min(...known);
  const values = got.filter((p): p is number => p !== null);
  expect(Math.min(...values), label).toBe(Math.min(...known));
  expect(Math.max(...values), label).toBe(Math.max(...known));
  if (span <= 6.2 + 1e-9) {
    expect(got, label).toEqual(want);
    return;
  }
  want.forEach((p, i) => {
    if (p === null) return;
    expect(Math.abs((got[i] ?? Number.NaN) - p), label).toBeLessThanOrEqual(span / 124 + 0.05 + 1e-9);
  });
}
