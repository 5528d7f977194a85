import type { CheckView, ServicesResponse, ServiceView } from "../../lib/contract.ts";
import { CHECK_STATES, CIRCUITS, RESULT_STATUSES, SERVICE_KINDS, STATUSES } from "../../lib/snapshot-wire.ts";

/*
 * Boards with everything a real one can hold and the odd cases it rarely does: blocked chains,
 * references to unknown names, missing sparkline points, long and non-ASCII messages, staged
 * checks, times weeks old or slightly ahead. Seeded, so a failure names its seed and repeats.
 */

export type Random = () => number;

/** A small LCG: deterministic per seed, plenty for test data. */
export function seeded(seed: number): Random {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const NOW = Date.parse("2026-11-23T11:48:39.123Z");
const WORDS = [
  "HTTP 200",
  "HTTP 503 (expected 200-399)",
  "timed out after 300ms",
  'said "ok" \\ fine',
  "ünïcødé ✓ 🚦",
];

export function randomBoard(random: Random, size: number): ServicesResponse {
  const int = (max: number) => Math.floor(random() * max);
  const oneOf = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const maybe = <T>(p: number, make: () => T): T | null => (random() < p ? make() : null);
  const names = Array.from({ length: size }, (_, i) => (i % 7 === 3 ? `svc "${i}" ✓` : `svc-${i}`));
  const someNames = () =>
    Array.from({ length: int(3) }, () => (random() < 0.1 ? `gone-${int(5)}` : oneOf(names)));
  const time = () => new Date(NOW - Math.floor(random() ** 4 * 40 * 86_400_000) + int(2000)).toISOString();
  const tenths = (max: number) => Math.round(random() * max * 10) / 10;
  const message = () =>
    random() < 0.2 ? `${oneOf(WORDS)} ${"x".repeat(int(300))}`.slice(0, 300) : oneOf(WORDS);

  const sparkline = (): (number | null)[] => {
    const wide = random() < 0.5;
    const base = tenths(wide ? 2000 : 50);
    return Array.from({ length: int(31) }, () =>
      random() < 0.1 ? null : Math.round((base + random() * (wide ? 500 : 6.2)) * 10) / 10,
    );
  };

  const check = (i: number): CheckView => {
    const ran = random() < 0.8;
    const staged = random() < 0.15;
    const view: CheckView = {
      name: i === 0 ? "health" : `check-${i}`,
      kind: oneOf(["http", "tcp", "command", "postgres"]),
      state: oneOf(CHECK_STATES),
      circuit: oneOf(CIRCUITS),
      lastAt: ran ? time() : null,
      lastStatus: ran ? oneOf(RESULT_STATUSES) : null,
      lastMessage: ran ? message() : null,
      lastLatencyMs: ran ? tenths(3000) : null,
      stage: staged
        ? {
            reached: maybe(0.7, () => oneOf(["listening", "migrated", "warm"])),
            index: int(4),
            total: 3 + int(2),
            ...(random() < 0.5 ? { failedAt: "warm" } : {}),
          }
        : null,
    };
    return staged && random() < 0.7 ? { ...view, stages: ["listening", "migrated", "warm"] } : view;
  };

  const services = names.map((name): ServiceView => {
    const status = oneOf(STATUSES);
    const action = maybe(0.1, () => ({ id: `act-${int(3)}`, kind: "restart", requestedBy: "ana" }));
    const node = maybe(0.2, () => `node-${int(3)}`);
    const host = maybe(0.2, () => `edge-${int(3)}`);
    return {
      ...(node === null ? {} : { node }),
      ...(host === null ? {} : { host }),
      name,
      kind: oneOf(SERVICE_KINDS),
      group: `group-${int(5)}`,
      wave: int(4),
      dependsOn: someNames(),
      dependents: someNames(),
      status,
      reason: status === "healthy" ? "health: HTTP 200" : message(),
      blockedBy: status === "blocked" ? someNames() : [],
      since: time(),
      latencyMs: maybe(0.8, () => tenths(random() < 0.1 ? 60_000 : 100)),
      sparkline: sparkline(),
      uptime24h: maybe(0.8, () => oneOf([0, 1, random()])),
      restarts: int(3) === 0 ? int(500) : 0,
      runtimeState: oneOf(["running", "stopped", "external", "crashed"]),
      activeAction: action,
      checks: Array.from({ length: int(4) }, (_, i) => check(i)),
    };
  });
  const store = { state: "ok" as const, queueDepth: int(10), dropped: 0, message: null };
  return { generatedAt: new Date(NOW).toISOString(), project: `proj-${int(9)}`, services, store };
}

/** A steady fleet like the push benchmark's: one HTTP check each, full 30-point sparklines. */
export function fleetBoard(random: Random, size: number): ServicesResponse {
  const board = randomBoard(random, size);
  const services = board.services.map((s, i): ServiceView => {
    const name = `svc-${String(i).padStart(4, "0")}`;
    const at = new Date(NOW - Math.floor(random() * 5000)).toISOString();
    const latency = Math.round((5 + random() * 200) * 10) / 10;
    return {
      ...s,
      name,
      kind: "external",
      group: `group-${i % 20}`,
      dependsOn: [],
      dependents: [],
      status: "healthy",
      reason: "health: HTTP 200",
      blockedBy: [],
      since: new Date(NOW - 3_600_000 + Math.floor(random() * 60_000)).toISOString(),
      latencyMs: latency,
      sparkline: Array.from({ length: 30 }, () => Math.round((5 + random() * 200) * 10) / 10),
      activeAction: null,
      checks: [
        {
          name: "health",
          kind: "http",
          state: "healthy",
          circuit: "closed",
          lastAt: at,
          lastStatus: "healthy",
          lastMessage: "HTTP 200",
          lastLatencyMs: latency,
          stage: null,
        },
      ],
    };
  });
  return { ...board, services };
}
