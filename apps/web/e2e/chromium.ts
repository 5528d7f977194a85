/**
 * How Vigil drives Debian's Chromium, for the e2e suite and the dashboard benchmark alike: never a
 * downloaded browser; no background networking (this machine's closed network refuses it, noisily).
 */
export const CHROMIUM_PATH = process.env.VIGIL_E2E_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
