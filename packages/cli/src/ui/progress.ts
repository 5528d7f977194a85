import type { ActionOutcome, ActionPlan, EngineEvent, StepState } from "@vigil/orchestrator";
import type { CliIo } from "../io.ts";
import { type Palette, paintStatus } from "./color.ts";
import { formatDuration, truncate } from "./format.ts";
import {
  isBusy,
  isFinal,
  type ProgressModel as Model,
  ProgressModel,
  type ProgressRow,
} from "./progress-model.ts";
import { SPINNER_INTERVAL_MS, spinnerFrame } from "./spinner.ts";

/** Shows one action while it runs: a live block on a terminal, one line per step otherwise. */
export interface Progress {
  onEvent(event: EngineEvent): void;
  follow(plan: ActionPlan, deduplicated: boolean): void;
  finish(outcome: ActionOutcome): void;
  /** Stops the timer and restores the cursor; safe to call twice. */
  close(): void;
}

const VERB: Record<ActionPlan["kind"], string> = {
  start: "Starting",
  stop: "Stopping",
  restart: "Restarting",
  rollback: "Rolling back",
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function headline(plan: ActionPlan): string {
  const count = plan.waves.flat().length;
  if (plan.kind === "rollback") return `${VERB.rollback} ${plan.targets.join(", ")}`;
  return `${VERB[plan.kind]} ${plural(count, "service")} in ${plural(plan.waves.length, "wave")}`;
}

function symbol(palette: Palette, state: StepState, tick: number): string {
  if (isBusy(state)) return palette.cyan(spinnerFrame(tick));
  switch (state) {
    case "healthy":
    case "started":
    case "stopped":
      return palette.green("✓");
    case "failed":
      return palette.red("✗");
    case "rolled-back":
      return palette.yellow("↺");
    case "skipped":
      return palette.dim("-");
    default:
      return palette.dim("·");
  }
}

/** The detail after a row's state: the stage reached while starting, else the step's message. */
function detail(row: ProgressRow): string {
  if (row.stage !== undefined && isBusy(row.state)) return `stage: ${row.stage}`;
  return row.message ?? "";
}

/** One plain line for a step, for logs and pipes: `  3.1s  wave 2  core-api  healthy`. */
export function stepLine(model: Model, row: ProgressRow, at: number, palette: Palette): string {
  const clock = palette.dim(formatDuration(at - model.startedAt).padStart(7));
  const state = paintStatus(palette, row.state) + " ".repeat(Math.max(0, 8 - row.state.length));
  const line = `${clock}  wave ${row.wave + 1}  ${row.service.padEnd(model.nameWidth)}  ${state}  ${detail(row)}`;
  return line.trimEnd();
}

export function summaryLine(outcome: ActionOutcome, palette: Palette): string {
  const took = formatDuration(outcome.durationMs);
  if (outcome.result === "succeeded")
    return `${palette.green("✓")} ${outcome.kind} succeeded in ${took}: ${outcome.message}`;
  const mark = outcome.result === "cancelled" ? palette.yellow("!") : palette.red("✗");
  return `${mark} ${outcome.kind} ${outcome.result} after ${took}: ${outcome.message}`;
}

export function createProgress(io: CliIo, palette: Palette, now: () => number = Date.now): Progress {
  const model = new ProgressModel();
  const live = io.stdout.isTTY === true;
  const width = Math.max(20, (io.stdout.columns || 80) - 1);
  let drawn = 0;
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;

  const height = Math.max(3, (io.stdout.rows || 24) - 2);

  function rowLine(row: ProgressRow, name: number): string {
    const elapsed = model.elapsed(row, now());
    const time = elapsed === undefined ? "" : formatDuration(elapsed);
    const state = paintStatus(palette, row.state) + " ".repeat(Math.max(0, 11 - row.state.length));
    // Lines wider than the terminal would wrap and break the in-place redraw.
    const text = truncate(detail(row), width - (name + 27));
    return `  ${symbol(palette, row.state, tick)} ${row.service.padEnd(name)}  ${state} ${time.padStart(7)}  ${text}`.trimEnd();
  }

  /**
   * The live block. A block taller than the terminal cannot be redrawn in place (the cursor
   * cannot move above the screen), so finished waves then collapse to one line each.
   */
  function block(): string[] {
    const name = Math.max(0, ...[...model.rows.keys()].map((s) => s.length));
    const waves = model.waves.map((wave) => wave.flatMap((service) => model.rows.get(service) ?? []));
    const full = waves.reduce((sum, rows) => sum + rows.length + 1, 0);
    const lines: string[] = [];
    waves.forEach((rows, index) => {
      const title = palette.bold(`wave ${index + 1}`);
      if (full > height && rows.every((row) => isFinal(row.state))) {
        const counts = new Map<string, number>();
        for (const row of rows) counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
        const summary = [...counts].map(([state, n]) => `${n} ${paintStatus(palette, state)}`).join(", ");
        lines.push(`${title}  ${summary}`);
        return;
      }
      lines.push(title, ...rows.map((row) => rowLine(row, name)));
    });
    return lines.slice(-height);
  }

  function redraw(): void {
    const lines = block();
    const up = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : "";
    io.stdout.write(`${up}${lines.join("\n")}\n`);
    drawn = lines.length;
  }

  return {
    onEvent(event) {
      const row = model.apply(event);
      if (!row || live || row.state === "planned") return;
      io.stdout.write(
        `${stepLine(model, row, event.type === "action.step" ? event.at.getTime() : now(), palette)}\n`,
      );
    },
    follow(plan, deduplicated) {
      const joined = deduplicated ? palette.dim(` (joining running action ${plan.actionId})`) : "";
      io.stdout.write(`${palette.bold(headline(plan))}${joined}\n`);
      model.follow(plan, now());
      if (!live) {
        for (const [index, wave] of plan.waves.entries())
          io.stdout.write(`  wave ${index + 1}: ${wave.join(", ")}\n`);
        return;
      }
      io.stdout.write("\x1b[?25l");
      redraw();
      timer = setInterval(() => {
        tick += 1;
        redraw();
      }, SPINNER_INTERVAL_MS);
    },
    finish(outcome) {
      this.close();
      io.stdout.write(`${summaryLine(outcome, palette)}\n`);
    },
    close() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      redraw();
      io.stdout.write("\x1b[?25h");
    },
  };
}
