import type { ProcessServiceConfig } from "../config/schema.ts";
import {
  type Confinement,
  chooseLimiter,
  type Limiter,
  type LimiterChoice,
  type Limits,
} from "./limits/index.ts";
import { oomReason } from "./process-limits.ts";
import type { RunLimits } from "./types.ts";

/** A run's confinement: its limits, what enforces them, and its cgroup (or rlimit wrapper). */
export interface RunConfinement {
  limits: RunLimits;
  confinement: Confinement | undefined;
}

/**
 * The process runner's side of `resources` limits: the limiter, chosen on first need (a stack
 * without limits never touches /sys/fs/cgroup), each run's confinement, and the removal of a
 * run's cgroup, which the next start of that service waits for.
 */
export class ProcessConfiner {
  #chosen: { limiter: Limiter; unavailable?: string } | undefined;
  readonly #releasing = new Map<string, Promise<void>>();

  constructor(
    private readonly choice: LimiterChoice,
    private readonly project: string,
  ) {}

  #limiter(): { limiter: Limiter; unavailable?: string } {
    this.#chosen ??= chooseLimiter(this.choice, this.project);
    return this.#chosen;
  }

  /**
   * The confinement for a new run and the command line that enters it; undefined when the service
   * sets no limits. `warn` hears why a mechanism asked for by name is not used. Throws when the
   * cgroup cannot be made.
   */
  confine(
    name: string,
    service: ProcessServiceConfig,
    command: [string, string[]],
    warn: (line: string) => void,
  ): (RunConfinement & { command: [string, string[]] }) | undefined {
    const limits = limitsOf(service);
    if (limits === undefined) return undefined;
    const { limiter, unavailable } = this.#limiter();
    if (unavailable) warn(`vigil: ${unavailable}; limits fall back to the memory rlimit`);
    const confinement = limiter.confine(name, limits, command);
    return {
      limits: { enforcement: limiter.mechanism, ...limits },
      confinement,
      command: confinement.command,
    };
  }

  /** The confinement of a run an earlier Vigil started (adoption). */
  find(name: string, service: ProcessServiceConfig): RunConfinement | undefined {
    const limits = limitsOf(service);
    if (limits === undefined) return undefined;
    const { limiter } = this.#limiter();
    return { limits: { enforcement: limiter.mechanism, ...limits }, confinement: limiter.find(name) };
  }

  /** The out-of-memory reason when the kernel OOM-killed inside the run's cgroup. */
  kernelOom(run: RunConfinement | undefined, limitBytes: number): string | undefined {
    const mechanism = run?.limits.enforcement;
    if (mechanism === undefined || mechanism === "rlimit") return undefined;
    return (run?.confinement?.oomKills() ?? 0) > 0 ? oomReason(mechanism, limitBytes) : undefined;
  }

  /** Removes the run's cgroup once its processes are gone. */
  release(name: string, run: RunConfinement | undefined): void {
    const confinement = run?.confinement;
    if (!run || !confinement) return;
    run.confinement = undefined;
    const done = confinement.release().finally(() => {
      if (this.#releasing.get(name) === done) this.#releasing.delete(name);
    });
    this.#releasing.set(name, done);
  }

  /** Resolves once the service's last cgroup is gone (a start must not race its removal). */
  released(name: string): Promise<void> {
    return this.#releasing.get(name) ?? Promise.resolve();
  }
}

/** The run's limits, or undefined when the service sets none (no wrapper, no cgroup). */
function limitsOf(service: ProcessServiceConfig): Limits | undefined {
  const { cpus, memory } = service.resources;
  if (cpus === undefined && memory === undefined) return undefined;
  return {
    ...(cpus === undefined ? {} : { cpus }),
    ...(memory === undefined ? {} : { memoryBytes: memory }),
  };
}
