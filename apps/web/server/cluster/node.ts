import { randomUUID } from "node:crypto";
import {
  type ClusterMemberRow,
  claimDecision,
  createLease,
  createMembership,
  type Db,
  type LeaseHold,
  StaleLeaseError,
} from "@vigil/db";
import type { Authority } from "@vigil/orchestrator";
import { errorMessage } from "../async.ts";

export interface ClusterTiming {
  /** Heartbeat and lease renewal period. Default 2 s. */
  heartbeatMs: number;
  /** Lease length; a dead leader is replaced within about this plus one heartbeat. Default 6 s. */
  leaseMs: number;
  /** A member not seen for this long is dead (checks move away from it). Default 6 s. */
  memberTtlMs: number;
}

// Worst case a dead leader is replaced after lease + one heartbeat = 8 s: inside the 10 s promised.
export const DEFAULT_TIMING: ClusterTiming = { heartbeatMs: 2000, leaseMs: 6000, memberTtlMs: 6000 };

export interface ClusterNodeOptions {
  pool: Db["pool"];
  nodeName: string;
  timing?: Partial<ClusterTiming>;
  log: (line: string) => void;
  /** Called on every change of this instance's role. */
  onRole?: (leader: boolean) => void;
  /** Called when the set of live members (ids, sorted) or the one leading them changes. */
  onMembers?: (members: readonly ClusterMemberRow[]) => void;
  /** The database's clock is the only clock that matters; this one bounds our own belief. */
  now?: () => number;
}

/**
 * This instance's place in the cluster: a heartbeat in cluster_members and, when it wins it, the
 * leader lease. Leadership is believed locally only until the lease would lapse counted from
 * before the renewal was sent, so a leader cut off from Postgres stops acting before another can
 * take over; every leader-only act is fenced in the database besides (`authority`).
 */
export class ClusterNode {
  readonly id = randomUUID();
  readonly startedAt = new Date();
  readonly timing: ClusterTiming;
  #url = "";
  #hold: LeaseHold | null = null;
  #believedUntil = 0;
  #members: ClusterMemberRow[] = [];
  #leaderId: string | null = null;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #closed = false;
  #lastError = "";
  readonly #lease;
  readonly #membership;
  readonly #now: () => number;

  constructor(private readonly opts: ClusterNodeOptions) {
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.#lease = createLease(opts.pool);
    this.#membership = createMembership(opts.pool);
    this.#now = opts.now ?? (() => performance.now());
  }

  get nodeName(): string {
    return this.opts.nodeName;
  }

  /** True while this instance holds a lease it has reason to believe live. */
  get leader(): boolean {
    return this.#hold !== null && this.#now() < this.#believedUntil;
  }

  /** The fencing token of the lease held, if leader. */
  get hold(): LeaseHold | null {
    return this.leader ? this.#hold : null;
  }

  /** Live members at the last heartbeat, by id (this one included once registered). */
  get members(): readonly ClusterMemberRow[] {
    return this.#members;
  }

  /** The leader's member record as of the last heartbeat; null while there is none (or it is gone). */
  get leaderMember(): ClusterMemberRow | null {
    if (this.leader) return this.#members.find((m) => m.id === this.id) ?? null;
    return this.#members.find((m) => m.id === this.#leaderId && m.id !== this.id) ?? null;
  }

  /** Starts heartbeats; `url` is where the others reach this instance. Resolves after the first tick. */
  start(url: string): Promise<void> {
    this.#url = url;
    // Rows of instances gone for a day are history nobody reads; a failure here changes nothing.
    void this.#membership.prune(86_400_000).catch(() => undefined);
    this.#timer = setInterval(() => void this.tick(), this.timing.heartbeatMs);
    this.#timer.unref();
    return this.tick();
  }

  /** One heartbeat: register, renew or try for the lease, read the live members. Never throws. */
  tick(): Promise<void> {
    this.#ticking = this.#ticking.then(() => this.#tick());
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    if (this.#closed) return;
    const wasLeader = this.leader;
    try {
      await this.#membership.heartbeat({
        id: this.id,
        nodeName: this.opts.nodeName,
        url: this.#url,
        startedAt: this.startedAt,
      });
      const sentAt = this.#now();
      const hold = await this.#lease.acquire(this.id, this.timing.leaseMs);
      this.#hold = hold;
      this.#believedUntil = hold ? sentAt + this.timing.leaseMs : 0;
      // Followers learn who leads, so actions clicked here can be forwarded to it.
      const leaderBefore = this.#leaderId;
      this.#leaderId = hold ? this.id : ((await this.#lease.current())?.holder ?? null);
      const members = await this.#membership.live(this.timing.memberTtlMs);
      const changed =
        members.map((m) => m.id).join() !== this.#members.map((m) => m.id).join() ||
        this.#leaderId !== leaderBefore;
      this.#members = members;
      if (changed) this.opts.onMembers?.(members);
      if (this.#lastError) this.opts.log(`cluster: database reachable again`);
      this.#lastError = "";
    } catch (err) {
      // Unreachable database: keep probing and buffering; leadership lapses by itself (leader getter).
      const message = errorMessage(err);
      if (message !== this.#lastError) this.opts.log(`cluster: heartbeat failed: ${message}`);
      this.#lastError = message;
    }
    if (this.leader !== wasLeader) this.#roleChanged();
  }

  #roleChanged(): void {
    const leader = this.leader;
    this.opts.log(
      leader
        ? `cluster: ${this.opts.nodeName} is the leader (fencing token ${this.#hold?.token})`
        : `cluster: ${this.opts.nodeName} follows`,
    );
    this.opts.onRole?.(leader);
  }

  /**
   * Claims a leader-only act once, fenced by this instance's token: false for a follower, for a
   * deposed leader (the database refuses its stale token) and for an act already claimed.
   */
  async claim(kind: string, key: string): Promise<boolean> {
    const hold = this.hold;
    if (!hold) return false;
    try {
      return await claimDecision(this.opts.pool, hold, key, kind);
    } catch (err) {
      if (err instanceof StaleLeaseError) {
        this.opts.log(`cluster: ${kind} ${key} refused: ${err.message}`);
        if (this.#hold === hold) {
          this.#hold = null;
          this.#roleChanged();
        }
      } else this.opts.log(`cluster: ${kind} ${key} not claimed: ${errorMessage(err)}`);
      return false;
    }
  }

  /** The engine's view: restarts and scheduled jobs go through `claim`. */
  authority(): Authority {
    return { claim: (kind, key) => this.claim(kind, key) };
  }

  /** Leaves the cluster and gives the lease up, so the others take over without waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#ticking.catch(() => undefined);
    const hold = this.#hold;
    this.#hold = null;
    await Promise.allSettled([
      this.#membership.leave(this.id),
      hold ? this.#lease.release(hold) : Promise.resolve(),
    ]);
  }
}
