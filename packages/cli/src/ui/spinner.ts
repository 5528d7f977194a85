/** Braille spinner frames; one frame per tick, ticks bounded by the caller's timer. */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/** How often spinners advance: fast enough to look alive, slow enough to cost nothing. */
export const SPINNER_INTERVAL_MS = 100;

export function spinnerFrame(tick: number): string {
  return FRAMES[((tick % FRAMES.length) + FRAMES.length) % FRAMES.length] ?? "-";
}
