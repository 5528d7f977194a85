/**
 * Who does what must happen once when several Vigil instances watch one stack. The engine asks
 * before a restart-policy restart and before a scheduled job run; without an authority (one
 * instance) it decides alone, as always. The web server backs it with the cluster's leader lease.
 */
export interface Authority {
  /**
   * Claims the act named by `key` (the same key on every instance for one occasion, e.g. one exit
   * of one service). False = not this instance's to do (a follower, a deposed leader, or already
   * done). Must not throw: an authority that cannot decide answers false.
   */
  claim(kind: "restart" | "job", key: string): Promise<boolean>;
}
