import type { ServiceStatus } from "@vigil/orchestrator";
import type { CliIo } from "../io.ts";

export type Paint = (text: string) => string;

export interface Palette {
  enabled: boolean;
  green: Paint;
  red: Paint;
  yellow: Paint;
  blue: Paint;
  cyan: Paint;
  dim: Paint;
  bold: Paint;
}

/** Colour only for a person at a terminal: never into pipes or files, never against NO_COLOR. */
export function wantsColor(io: Pick<CliIo, "stdout" | "env">, flag: boolean): boolean {
  const noColor = io.env.NO_COLOR;
  return flag && io.stdout.isTTY === true && (noColor === undefined || noColor === "");
}

const sgr =
  (enabled: boolean, open: number, close: number): Paint =>
  (text) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;

export function createPalette(enabled: boolean): Palette {
  return {
    enabled,
    green: sgr(enabled, 32, 39),
    red: sgr(enabled, 31, 39),
    yellow: sgr(enabled, 33, 39),
    blue: sgr(enabled, 34, 39),
    cyan: sgr(enabled, 36, 39),
    dim: sgr(enabled, 2, 22),
    bold: sgr(enabled, 1, 22),
  };
}

/** The colour a status word is drawn in, the same on every screen. */
export function paintStatus(palette: Palette, status: ServiceStatus | string): string {
  switch (status) {
    case "healthy":
    case "running":
    case "succeeded":
    case "started":
      return palette.green(status);
    case "degraded":
    case "starting":
    case "stopping":
    case "waiting":
    case "blocked":
      return palette.yellow(status);
    case "unhealthy":
    case "host-unreachable":
    case "failed":
    case "crash-loop":
    case "exited":
    case "cancelled":
      return palette.red(status);
    default:
      return palette.dim(status);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Printed width of text, ignoring colour escapes. */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
