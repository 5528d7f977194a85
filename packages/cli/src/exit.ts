/** Exit codes: scripts and CI branch on these, so they never change meaning. */
export const EXIT = {
  ok: 0,
  /** An action failed, a check is not healthy, a service could not be reached. */
  failed: 1,
  /** Bad arguments or a config that does not load: nothing was attempted. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the command was called; printed as is, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
