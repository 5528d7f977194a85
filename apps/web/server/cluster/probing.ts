import type { ClusterBus, ClusterMemberRow } from "@vigil/db";
import type { EngineEvent, HeartbeatStore, Ping, ProbeSharing, RemoteResult } from "@vigil/orchestrator";
import { errorMessage } from "../async.ts";
import { type BusItem, pingItem, readItems, resultItem } from "./bus-items.ts";
import { ownerOf } from "./rendezvous.ts";

/** The node a service's checks must run on (`node:` of process services), if any. */
export type PinnedOwner = (service: string) => string | undefined;

/** What probing needs of the engine it shares for. */
export interface SharedEngine {
  rebalance?(): Promise<void>;
  applyRemoteResult?(result: RemoteResult): void;
}

export interface SharedProbingOptions {
  /** This instance and the live members it last saw (the ClusterNode). */
  node: { readonly id: string; readonly members: readonly ClusterMemberRow[] };
  /** The bus results and pings travel on; `receive` is where it delivers the others'. */
  bus: (receive: (items: unknown[]) => void) => ClusterBus<BusItem>;
  pinnedOwner: PinnedOwner;
  log: (line: string) => void;
}

/**
 * Probing shared among the instances of a cluster. A service's checks run on one live member —
 * its pinned node, else the rendezvous winner (rendezvous.ts) — and are recomputed whenever the
 * membership changes. Each instance publishes its own results (with the check state it decided)
 * on the bus; the others apply them (engine.applyRemoteResult), so every board derives the same
 * statuses, blocked-by and alerts, and only the owner writes history. Push pings are relayed the
 * same way: whichever instance a job's ping reaches, the owner of its check hears it.
 */
export class SharedProbing implements ProbeSharing {
  readonly #bus: ClusterBus<BusItem>;
  #engine: SharedEngine | undefined;
  #heartbeats: HeartbeatStore | undefined;
  #invalid = 0;

  constructor(private readonly opts: SharedProbingOptions) {
    this.#bus = opts.bus((items) => this.#receive(items));
  }

  /** False until this instance is a live member: it probes nothing before it has joined. */
  owns(service: string): boolean {
    const { node } = this.opts;
    if (!node.members.some((m) => m.id === node.id)) return false;
    return ownerOf(service, node.members, this.opts.pinnedOwner(service))?.id === node.id;
  }

  /** The engine results are applied to and the store pings are recorded in; starts listening. */
  attach(target: { engine: SharedEngine; heartbeats: HeartbeatStore }): Promise<void> {
    this.#engine = target.engine;
    this.#heartbeats = target.heartbeats;
    // Members seen before the engine existed would otherwise wait for the next change.
    this.rebalance();
    return this.#bus.start();
  }

  /** The membership changed (ClusterNode onMembers): ownership is recomputed. */
  rebalance(): void {
    void this.#engine
      ?.rebalance?.()
      .catch((err: unknown) => this.opts.log(`cluster: rebalance failed: ${errorMessage(err)}`));
  }

  /** Every engine event passes here; this instance's own results go to the others. */
  observe(event: EngineEvent): void {
    const item = resultItem(event);
    if (item) this.#bus.publish(item);
  }

  /** A push ping received here (already recorded here) goes to the others. */
  relayPing(service: string, check: string, ping: Omit<Ping, "at">): void {
    this.#bus.publish(pingItem({ service, check, ping }));
  }

  close(): Promise<void> {
    return this.#bus.close();
  }

  #receive(items: unknown[]): void {
    const { received, invalid } = readItems(items);
    // Bounded: a peer on another version must not flood the log.
    if (invalid > 0 && this.#invalid++ < 10)
      this.opts.log(`cluster: ${invalid} item(s) from another instance could not be read`);
    for (const item of received) {
      if (item.kind === "result") this.#engine?.applyRemoteResult?.(item.result);
      else this.#heartbeats?.record(item.service, item.check, item.ping);
    }
  }
}
