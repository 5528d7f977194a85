export {
  type ClusterBus,
  type ClusterBusOptions,
  createClusterBus,
  MAX_PAYLOAD_BYTES,
  packPayloads,
} from "./bus.ts";
export { claimDecision, StaleLeaseError, withFence } from "./fence.ts";
export { createLease, type Lease, type LeaseHold } from "./lease.ts";
export { type ClusterMemberRow, createMembership, type Membership } from "./membership.ts";
