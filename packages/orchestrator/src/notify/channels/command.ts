/*
 * Runs a local program (argv, no shell) with the Notification JSON (docs/webhook.md, the same
 * `vigil.notification/v1` document) on stdin.
 * Outcome: exit 0 = delivered; exit 75 (EX_TEMPFAIL, sysexits(3)) = failed, retryable; any other
 * exit code = failed, not retryable (a script's bug or refusal repeats, and a retry could repeat
 * its side effects); timeout = the process group is killed, retryable. The exit code and the tail
 * of stderr are in the outcome.
 */
import { spawn } from "node:child_process";
import { z } from "zod";
import { errorText } from "../../probes/support/result.ts";
import { defineChannel } from "../support/define.ts";
import type { ChannelContext, DeliveryOutcome, SentRequest } from "../types.ts";

/** sysexits(3) EX_TEMPFAIL: "temporary failure, try again later". */
export const EXIT_RETRY = 75;
const TAIL = 2000;

export const CommandConfig = z
  .object({
    kind: z.literal("command"),
    command: z
      .array(z.string().min(1))
      .min(1, "command is an argv array, e.g. [/usr/local/bin/notify, --json]"),
    cwd: z.string().min(1).optional(),
    /** Extra environment (values are treated as secrets). */
    env: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type CommandConfig = z.output<typeof CommandConfig>;

const tail = (text: string): string => (text.length > TAIL ? `…${text.slice(-TAIL)}` : text).trim();

export const commandChannel = defineChannel({
  kind: "command",
  schema: CommandConfig,
  secretFields: ["env"],
  send(config, n, ctx) {
    const body = JSON.stringify(n);
    const sent: SentRequest = { target: config.command.join(" "), body };
    return run(config, body, sent, ctx);
  },
});

/**
 * Detached, so the program leads its own process group: on timeout the whole group is killed,
 * including anything it forked.
 */
function run(
  config: CommandConfig,
  input: string,
  sent: SentRequest,
  ctx: ChannelContext,
): Promise<DeliveryOutcome> {
  const [file, ...args] = config.command as [string, ...string[]];
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const child = spawn(file, args, {
      cwd: config.cwd,
      env: { ...process.env, ...config.env },
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: the group is gone already.
      }
    };
    const settle = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      killGroup();
      settle({
        ok: false,
        sent,
        error: `timed out after ${ctx.timeoutMs}ms; process group killed`,
        retryable: true,
      });
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout = (stdout + chunk.toString("utf8")).slice(-TAIL * 2);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-TAIL * 2);
    });
    // A program that exits without reading stdin closes the pipe: EPIPE is not the channel's failure.
    child.stdin.on("error", () => undefined);
    child.once("error", (error) =>
      settle({ ok: false, sent, error: `cannot run ${file}: ${errorText(error)}`, retryable: false }),
    );
    // Background children the program left would hold the pipes open; its run is over, so they go too.
    child.once("exit", killGroup);
    child.once("close", (code, signal) => {
      if (code === 0) {
        settle({ ok: true, sent, response: tail(stdout) });
        return;
      }
      const why = code === null ? `killed by ${signal}` : `exit code ${code}`;
      const err = tail(stderr);
      settle({
        ok: false,
        sent,
        error: `${file}: ${why}${err ? `; stderr: ${err}` : ""}`,
        retryable: code === EXIT_RETRY,
      });
    });
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener("abort", onAbort, { once: true });
    child.stdin.end(input);
  });
}
