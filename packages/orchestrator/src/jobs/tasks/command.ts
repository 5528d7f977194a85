import { spawn } from "node:child_process";
import { signalGroup } from "../../runners/process-group.ts";
import { lineSplitter } from "./lines.ts";
import type { JobTask, TaskExit } from "./task.ts";

export interface CommandTaskSpec {
  kind: "command";
  command: string | readonly string[];
  cwd?: string;
  /** Added to Vigil's own environment. */
  env?: Readonly<Record<string, string>>;
}

/** Runs a command in its own process group; an abort kills the whole group (children included). */
export function commandTask(spec: Omit<CommandTaskSpec, "kind">): JobTask {
  return (ctx) => {
    const [file, args] =
      typeof spec.command === "string"
        ? ["/bin/sh", ["-c", spec.command]]
        : [spec.command[0] ?? "", spec.command.slice(1)];
    return new Promise<TaskExit>((resolve, reject) => {
      const child = spawn(file, args, {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        ...(spec.cwd ? { cwd: spec.cwd } : {}),
        ...(spec.env ? { env: { ...process.env, ...spec.env } } : {}),
      });
      const out = lineSplitter((line) => ctx.log(line, "stdout"));
      const err = lineSplitter((line) => ctx.log(line, "stderr"));
      child.stdout.on("data", (c: Buffer) => out.push(c));
      child.stderr.on("data", (c: Buffer) => err.push(c));
      const onAbort = () => {
        if (child.pid) signalGroup(child.pid, "SIGKILL");
      };
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        ctx.signal.removeEventListener("abort", onAbort);
        out.flush();
        err.flush();
      };
      child.once("error", (error) => {
        done();
        reject(new Error(`could not start: ${error.message}`));
      });
      child.once("close", (exitCode, signal) => {
        done();
        resolve({ exitCode, signal });
      });
      if (ctx.signal.aborted) onAbort();
    });
  };
}
