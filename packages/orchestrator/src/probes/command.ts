import { spawn } from "node:child_process";
import { z } from "zod";
import { commandLine, stringMap } from "../config/fields.ts";
import { execInContainer } from "./command/docker-exec.ts";
import { appendCapped, argv, judgeCommand, shortCommand } from "./command/output.ts";
import { checkPolicy } from "./support/policy.ts";
import { errorText, unhealthy } from "./support/result.ts";
import type { CheckKindDef, Probe, ProbeContext, ProbeResult } from "./types.ts";

export const CommandCheck = z
  .strictObject({
    kind: z.literal("command"),
    ...checkPolicy,
    command: commandLine.describe("A shell line (run with sh -c) or an argv list."),
    cwd: z.string().optional().describe("Working directory, relative to vigil.yaml."),
    env: stringMap.default({}).describe("Extra environment variables."),
    expect_exit: z
      .union([z.number().int(), z.array(z.number().int())])
      .default(0)
      .describe("Accepted exit code(s)."),
    output_contains: z.string().optional().describe("stdout+stderr must contain this text."),
    output_regex: z.string().optional().describe("stdout+stderr must match this regular expression."),
    /** Run inside this docker service's container (`docker exec`) instead of on the host. */
    container: z
      .string()
      .optional()
      .describe("Run inside this docker service's container (docker exec) instead of on the host."),
  })
  .describe("Runs a command; healthy when it exits as expected and its output matches.");

export type CommandCheckSpec = z.output<typeof CommandCheck>;

export const commandProbe: Probe<CommandCheckSpec> = (spec, ctx) => {
  if (spec.container !== undefined) {
    const container = ctx.containerFor?.(spec.container) ?? spec.container;
    return execInContainer(spec, container, ctx);
  }
  return runOnHost(spec, ctx);
};

/**
 * Runs in its own process group (detached) so that on abort the whole group dies: a health script
 * that forks `sleep 1000` must not leave the sleeper behind.
 */
function runOnHost(spec: CommandCheckSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const [file, ...args] = argv(spec.command) as [string, ...string[]];
  const where = `command ${shortCommand(spec.command)}`;
  return new Promise((resolve, reject) => {
    let output = "";
    let settled = false;
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const onAbort = () => {
      killGroup();
      finish(() => reject(ctx.signal.reason));
    };
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener("abort", onAbort);
      settle();
    };
    child.stdout.on("data", (chunk: Buffer) => {
      output = appendCapped(output, chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output = appendCapped(output, chunk);
    });
    child.once("error", (error) => finish(() => resolve(unhealthy(`${where}: ${errorText(error)}`))));
    child.once("exit", (code) => {
      // Leftover background children would hold the pipes open; the check is over, so they go too.
      killGroup();
      // Give the pipes a moment to drain the last output after exit.
      const done = () => finish(() => resolve(judgeCommand(spec, code, output, where)));
      const grace = setTimeout(done, 200);
      child.once("close", () => {
        clearTimeout(grace);
        done();
      });
    });
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener("abort", onAbort, { once: true });
  });
}

export const command: CheckKindDef<CommandCheckSpec> = { schema: CommandCheck, probe: commandProbe };
