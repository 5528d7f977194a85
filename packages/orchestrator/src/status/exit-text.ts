/*
 * How an exit is told, in one place: the board's reason, the restart event and the CLI all say
 * the same honest thing. A signal is never shown as an exit code, and an exit Vigil could not
 * observe (it was not the parent) is never guessed.
 */

/** True when anything is known about how the last run ended. */
export function hasExitFacts(facts: ExitFacts): boolean {
  return (
    !!facts.exitReason ||
    facts.exitUnknown === true ||
    !!facts.exitSignal ||
    (facts.exitCode !== undefined && facts.exitCode !== null)
  );
}

export interface ExitFacts {
  exitCode?: number | null | undefined;
  exitSignal?: string | null | undefined;
  /** Vigil was not the parent (an adopted process): it saw the process go, not how. */
  exitUnknown?: boolean | undefined;
  /** What the runner knows beyond code and signal ("killed: out of memory, limit 1 GiB"). */
  exitReason?: string | undefined;
}

// Linux numbers (POSIX fixes only some); enough to name what kills services in practice.
const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGXCPU: 24,
  SIGXFSZ: 25,
};

/** "killed by signal 9 (SIGKILL)", "exited with code 3", "process gone; exit status unknown (…)". */
export function exitText(facts: ExitFacts): string {
  if (facts.exitReason) return facts.exitReason;
  if (facts.exitUnknown) return "process gone; exit status unknown (Vigil was not its parent)";
  if (facts.exitSignal) {
    const n = SIGNALS[facts.exitSignal];
    return n === undefined ? `killed by ${facts.exitSignal}` : `killed by signal ${n} (${facts.exitSignal})`;
  }
  if (facts.exitCode !== undefined && facts.exitCode !== null) return `exited with code ${facts.exitCode}`;
  return "exited (status unknown)";
}
