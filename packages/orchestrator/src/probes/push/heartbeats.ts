/*
 * Pings received for push (heartbeat) checks. The web layer records them (POST /api/push/<token>);
 * the push probe reads them. The engine only sees the read side (HeartbeatSource, passed in the
 * engine options), so the orchestrator stays free of HTTP.
 */

export type PingKind = "start" | "success" | "fail";

export interface Ping {
  kind: PingKind;
  at: Date;
  /** The job's exit code, when it sent one (`/api/push/<token>/<code>`). */
  exitCode?: number;
  /** What the job sent along, e.g. its last log lines (bounded by the web route). */
  body?: string;
}

/** What is known of one push check's job. */
export interface HeartbeatState {
  /** The latest start that no success or fail has closed yet counts as a running job. */
  lastStart?: Date;
  lastSuccess?: Date;
  lastFail?: Ping;
  /** The latest success or fail: when the job last finished. */
  lastDone?: Ping;
  /** start → success/fail of the last run that sent a start. */
  lastDurationMs?: number;
  pings: number;
}

/** The read side the push probe uses (ProbeContext.heartbeats). */
export interface HeartbeatSource {
  /** When watching began: a job is not late before one period (or scheduled slot) after this. */
  readonly since: Date;
  get(service: string, check: string): HeartbeatState | undefined;
}

/** In-memory pings by service and check; one entry per configured push check (the route checks tokens). */
export class HeartbeatStore implements HeartbeatSource {
  readonly since: Date;
  readonly #states = new Map<string, HeartbeatState>();

  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  get(service: string, check: string): HeartbeatState | undefined {
    return this.#states.get(key(service, check));
  }

  record(service: string, check: string, ping: Omit<Ping, "at">): HeartbeatState {
    const at = this.now();
    const prev = this.#states.get(key(service, check)) ?? { pings: 0 };
    const next: HeartbeatState = { ...prev, pings: prev.pings + 1 };
    if (ping.kind === "start") next.lastStart = at;
    else {
      const done: Ping = { ...ping, at };
      next.lastDone = done;
      if (ping.kind === "success") next.lastSuccess = at;
      else next.lastFail = done;
      // Only a start newer than the previous finish belongs to this run.
      if (prev.lastStart && (!prev.lastDone || prev.lastStart > prev.lastDone.at)) {
        next.lastDurationMs = at.getTime() - prev.lastStart.getTime();
      } else delete next.lastDurationMs;
    }
    this.#states.set(key(service, check), next);
    return next;
  }

  /** Forgets checks no longer configured (after a reload). */
  retain(keep: (service: string, check: string) => boolean): void {
    for (const k of [...this.#states.keys()]) {
      const [service = "", check = ""] = k.split("\0");
      if (!keep(service, check)) this.#states.delete(k);
    }
  }
}

const key = (service: string, check: string) => `${service}\0${check}`;
