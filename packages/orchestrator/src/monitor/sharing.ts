import type { CheckState } from "../policy/state.ts";
import type { ProbeResult } from "../probes/types.ts";

/**
 * Several instances watching one stack share the probing: each runs the checks of the services it
 * owns and applies the others' results (Monitor.applyRemoteResult), so every board derives the
 * same statuses while every target is probed — and every result recorded — once. Absent = this
 * instance probes everything. The web layer backs it with the cluster's membership.
 */
export interface ProbeSharing {
  /** Whether this instance probes `service`'s checks now; asked at load, reload and rebalance. */
  owns(service: string): boolean;
}

/** One result probed by another instance, with the check state its owner decided from it. */
export interface RemoteResult {
  service: string;
  check: string;
  at: Date;
  result: ProbeResult;
  /** The owner's state after thresholds: copied, not re-decided, so every board agrees. */
  state: CheckState;
  /** As the owner counted it (expected failures while stopped or starting are not). */
  counted: boolean;
}
