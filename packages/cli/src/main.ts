import { runCli } from "./cli.ts";

/*
 * The process entry point: real streams, real environment, and Ctrl-C turned into an abort so
 * long-running commands (start, logs -f, watch) restore the terminal and close the engine. A
 * second Ctrl-C exits at once.
 */
const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// pnpm runs the `vigil` script from the package folder; INIT_CWD is where the user typed it.
const cwd =
  process.env.npm_lifecycle_event === "vigil" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd,
  signal: controller.signal,
});
// The command is over and the engine closed; a timer left behind inside a library must not keep
// the prompt waiting. Exit once stdout has taken everything written to it.
process.stdout.write("", () => process.exit(code));
