import { afterEach, describe, expect, it } from "vitest";
import type { LiveDelta } from "../../lib/contract.ts";
import { type Random, seeded } from "../testing/random-board.ts";
import { DeltaBatcher, EVERYONE } from "./batch.ts";

let batcher: DeltaBatcher | undefined;
afterEach(() => batcher?.close());

/** A batcher whose tick never comes by itself: the test flushes. */
function collect(opts: { maxLogLines?: number } = {}) {
  const sent: { room: string; batch: LiveDelta[] }[] = [];
  batcher = new DeltaBatcher((room, batch) => sent.push({ room, batch }), { tickMs: 3_600_000, ...opts });
  return { batcher, sent };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const at = "2026-11-23T11:48:39.123Z";
const result = (service: string, check: string, latencyMs: number): LiveDelta => ({
  type: "result",
  service,
  check,
  at,
  status: "healthy",
  latencyMs,
  message: "HTTP 200",
});
const status = (service: string, to: "healthy" | "unhealthy"): LiveDelta => ({
  type: "status",
  service,
  from: to === "healthy" ? "unhealthy" : "healthy",
  to,
  reason: to,
  blockedBy: [],
  at,
});
const log = (service: string, line: string): LiveDelta => ({
  type: "log",
  service,
  stream: "stdout",
  line,
  at,
});

describe("delta batcher", () => {
  it("sends one batch per room per tick, newest result per check where it happened", () => {
    const { batcher, sent } = collect();
    const x1 = result("a", "x", 1);
    const b1 = result("b", "x", 1);
    const y1 = result("a", "y", 1);
    const x2 = result("a", "x", 2);
    for (const d of [x1, b1, y1, x2]) batcher.push(EVERYONE, d);
    batcher.push("svc:a", log("a", "hello"));
    expect(sent).toEqual([]);
    batcher.flush();
    expect(sent).toEqual([
      { room: EVERYONE, batch: [b1, y1, x2] },
      { room: "svc:a", batch: [log("a", "hello")] },
    ]);
    batcher.flush();
    expect(sent).toHaveLength(2);
  });

  it("sends a status change on the next turn with what came before it, not at the tick", async () => {
    const { batcher, sent } = collect();
    batcher.push(EVERYONE, result("a", "x", 1));
    batcher.push(EVERYONE, status("a", "unhealthy"));
    batcher.push(EVERYONE, status("b", "unhealthy"));
    batcher.push("svc:c", log("c", "quiet"));
    expect(sent).toEqual([]);
    await nextTurn();
    // The cascade goes out as one message; the room without a status change waits for its tick.
    expect(sent).toEqual([
      {
        room: EVERYONE,
        batch: [result("a", "x", 1), status("a", "unhealthy"), status("b", "unhealthy")],
      },
    ]);
  });

  it("keeps at most the newest log lines a browser keeps, per room and tick", () => {
    const { batcher, sent } = collect({ maxLogLines: 3 });
    for (let i = 0; i < 10; i++) batcher.push("svc:a", log("a", `line ${i}`));
    batcher.push("svc:a", status("a", "healthy"));
    batcher.flush();
    expect(sent[0]?.batch.map((d) => (d.type === "log" ? d.line : d.type))).toEqual([
      "line 7",
      "line 8",
      "line 9",
      "status",
    ]);
  });

  it("delivers every change in order, dropping only results a newer one of the same check replaced", async () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = seeded(seed);
      const { batcher, sent } = collect();
      const pushed = await pushRandomly(batcher, random);
      batcher.flush();
      const delivered = sent.filter((s) => s.room === EVERYONE).flatMap((s) => s.batch);
      const label = `seed ${seed}`;
      // In order: what arrives is a subsequence of what happened.
      let i = 0;
      for (const d of delivered) {
        while (i < pushed.length && pushed[i] !== d) i++;
        expect(i, label).toBeLessThan(pushed.length);
        i++;
      }
      // Complete: every status, and the last result of every check.
      const kept = new Set(delivered);
      for (const d of pushed.filter((p) => p.type === "status")) expect(kept.has(d), label).toBe(true);
      const last = new Map(
        pushed.flatMap((d) => (d.type === "result" ? [[`${d.service}/${d.check}`, d]] : [])),
      );
      for (const d of last.values()) expect(kept.has(d), label).toBe(true);
      // Dropped results were replaced before their batch left: never two of a check in one batch.
      for (const { batch } of sent) {
        const checks = batch.flatMap((d) => (d.type === "result" ? [`${d.service}/${d.check}`] : []));
        expect(new Set(checks).size, label).toBe(checks.length);
      }
      batcher.close();
    }
  });
});

/** Results, status changes and ticks in random order over a few services and checks. */
async function pushRandomly(batcher: DeltaBatcher, random: Random): Promise<LiveDelta[]> {
  const pushed: LiveDelta[] = [];
  for (let n = 0; n < 200; n++) {
    const service = `s${Math.floor(random() * 4)}`;
    const roll = random();
    if (roll < 0.05) batcher.flush();
    else if (roll < 0.1) await nextTurn();
    else {
      const d =
        roll < 0.2
          ? status(service, random() < 0.5 ? "healthy" : "unhealthy")
          : result(service, random() < 0.5 ? "x" : "y", n);
      pushed.push(d);
      batcher.push(EVERYONE, d);
    }
  }
  return pushed;
}
