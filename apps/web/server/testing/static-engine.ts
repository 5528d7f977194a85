import type { EngineEvent, ServiceSnapshot } from "@vigil/orchestrator";
import type { ActionHandle, EnginePort, GraphPort } from "../ports.ts";

/**
 * An EnginePort whose state the test drives by emitting engine events, for unit tests of the web
 * layer. Integration tests run the real @vigil/orchestrator engine against real targets.
 */
export class ScriptedEngine implements EnginePort {
  readonly services: ServiceSnapshot[];
  onEvent: (event: EngineEvent) => void = () => undefined;
  readonly runs: { kind: string; targets: string[] }[] = [];
  #next = 1;

  constructor(names: string[]) {
    this.services = names.map((name, i) => ({
      name,
      kind: "external",
      group: "default",
      wave: i === 0 ? 0 : 1,
      dependsOn: i === 0 ? [] : [names[0] ?? ""],
      status: "unknown",
      reason: "",
      blockedBy: [],
      since: new Date(),
      latencyMs: null,
      checks: [
        {
          name: "http",
          kind: "http",
          state: "unknown",
          circuit: "closed",
          consecutiveFailures: 0,
          consecutiveSuccesses: 0,
        },
      ],
      runtime: { state: "external", restarts: 0 },
    }));
  }

  emit(event: EngineEvent): void {
    if (event.type === "service.status") {
      const s = this.services.find((x) => x.name === event.service);
      if (s) s.status = event.to;
    }
    this.onEvent(event);
  }

  run(kind: "start" | "stop" | "restart" | "rollback", targets: string[]): ActionHandle {
    this.runs.push({ kind, targets });
    const actionId = `a${this.#next++}`;
    const waves = [targets.length > 0 ? targets : this.services.map((s) => s.name)];
    this.emit({
      type: "action.planned",
      at: new Date(),
      plan: { actionId, kind, targets, waves, requestedBy: "web" },
    });
    return { actionId, deduplicated: false, plan: { waves }, done: Promise.resolve() };
  }
  cancel(): boolean {
    return false;
  }
  snapshot(): ServiceSnapshot[] {
    return this.services;
  }
  graph(): GraphPort {
    const names = this.services.map((s) => s.name);
    return {
      waves: () => [names.slice(0, 1), names.slice(1)],
      edges: () =>
        names.slice(1).map((n) => ({ from: n, to: names[0] ?? "", condition: "healthy" as const })),
      dependents: (name) => (name === names[0] ? names.slice(1) : []),
    };
  }
  async reload(): Promise<void> {}
  async close(): Promise<void> {}
}
