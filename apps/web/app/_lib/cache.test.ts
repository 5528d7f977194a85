import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { LiveDelta, LogsResponse, ServicesResponse } from "../../lib/contract";
import { fleetBoard, seeded } from "../../server/testing/random-board";
import { keys } from "./api";
import { applyDeltas, type ResourceSample } from "./cache";

function board(): { qc: QueryClient; before: ServicesResponse } {
  const qc = new QueryClient();
  const before = fleetBoard(seeded(1), 3);
  qc.setQueryData(keys.services, before);
  return { qc, before };
}

const at = "2026-11-23T12:00:00.000Z";
const later = "2026-11-23T12:00:01.000Z";
const result = (
  service: string,
  latencyMs: number,
  status: "healthy" | "unhealthy",
  when = at,
): LiveDelta => ({
  type: "result",
  service,
  check: "health",
  at: when,
  status,
  latencyMs,
  message: status === "healthy" ? "HTTP 200" : "HTTP 503",
});

describe("applying a batch of deltas", () => {
  it("applies each service's changes in order in one write, leaving other tiles as they were", () => {
    const { qc, before } = board();
    const [a, b, c] = before.services.map((s) => s.name);
    applyDeltas(qc, [
      result(a ?? "", 12.5, "healthy"),
      {
        type: "status",
        service: a ?? "",
        from: "healthy",
        to: "unhealthy",
        reason: "HTTP 503",
        blockedBy: [],
        at,
      },
      result(a ?? "", 900, "unhealthy", later),
      result(b ?? "", 7, "healthy"),
      { type: "log", service: c ?? "", stream: "stdout", line: "hello", at },
      { type: "resources", service: c ?? "", at, cpuPercent: 3, memoryBytes: 1024 },
    ]);
    const after = qc.getQueryData<ServicesResponse>(keys.services);
    const [sa, sb, sc] = after?.services ?? [];
    expect(sa).toMatchObject({ status: "unhealthy", reason: "HTTP 503", since: at, latencyMs: 12.5 });
    expect(sa?.sparkline.slice(-2)).toEqual([12.5, null]);
    expect(sa?.checks[0]).toMatchObject({
      lastStatus: "unhealthy",
      lastMessage: "HTTP 503",
      lastLatencyMs: 900,
    });
    expect(sb?.sparkline.at(-1)).toBe(7);
    // Identity kept: the memoised tile of a service without board changes does not re-render.
    expect(sc).toBe(before.services[2]);
    expect(qc.getQueryData<LogsResponse>(keys.logs(c ?? ""))?.lines).toEqual([
      { service: c, stream: "stdout", line: "hello", at },
    ]);
    expect(qc.getQueryData<ResourceSample[]>(keys.resources(c ?? ""))).toEqual([
      { at, cpuPercent: 3, memoryBytes: 1024 },
    ]);
  });

  it("takes the 24 h uptime each result delta carries, for any check of the service (issue 19)", () => {
    const { qc, before } = board();
    const [a] = before.services.map((s) => s.name);
    const carrying = (d: LiveDelta, uptime24h: number, check?: string): LiveDelta =>
      d.type === "result" ? { ...d, uptime24h, ...(check ? { check } : {}) } : d;
    applyDeltas(qc, [carrying(result(a ?? "", 900, "unhealthy", later), 0.958)]);
    expect(qc.getQueryData<ServicesResponse>(keys.services)?.services[0]?.uptime24h).toBe(0.958);
    applyDeltas(qc, [carrying(result(a ?? "", 5, "healthy", "2026-11-23T12:00:02.000Z"), 0.96, "other")]);
    expect(qc.getQueryData<ServicesResponse>(keys.services)?.services[0]?.uptime24h).toBe(0.96);
  });

  it("takes Docker's health from each result of a check and drops it when a run reports none (issue 15)", () => {
    const { qc, before } = board();
    const [a] = before.services.map((s) => s.name);
    const health = () =>
      qc.getQueryData<ServicesResponse>(keys.services)?.services[0]?.checks[0]?.dockerHealth;
    const withHealth = (d: LiveDelta): LiveDelta =>
      d.type === "result" ? { ...d, dockerHealth: "unhealthy" } : d;
    applyDeltas(qc, [withHealth(result(a ?? "", 3, "unhealthy", later))]);
    expect(health()).toBe("unhealthy");
    applyDeltas(qc, [result(a ?? "", 3, "unhealthy", "2026-11-23T12:00:02.000Z")]);
    expect(health()).toBeUndefined();
  });

  it("skips a result the snapshot already holds, so a browser connecting mid-tick draws no point twice", () => {
    const { qc, before } = board();
    const s = before.services[0];
    const seenAt = s?.checks.find((c) => c.name === "health")?.lastAt ?? null;
    expect(seenAt).not.toBeNull();
    applyDeltas(qc, [{ ...result(s?.name ?? "", 41, "healthy"), at: seenAt ?? "" }]);
    expect(qc.getQueryData<ServicesResponse>(keys.services)).toBe(before);
    applyDeltas(qc, [result(s?.name ?? "", 41, "healthy", later)]);
    const after = qc.getQueryData<ServicesResponse>(keys.services)?.services[0];
    expect(after?.sparkline.at(-1)).toBe(41);
    expect(after?.sparkline.length).toBe(Math.min(30, (s?.sparkline.length ?? 0) + 1));
  });

  it("leaves the board object alone when a batch holds only room deltas", () => {
    const { qc, before } = board();
    applyDeltas(qc, [{ type: "log", service: "svc-0000", stream: "stderr", line: "x", at }]);
    expect(qc.getQueryData(keys.services)).toBe(before);
  });
});
