// Runs package scripts side by side (`node scripts/run-together.mjs test:unit test:soak`), each line
// prefixed with its script's name, and fails when any of them fails. `pnpm test` uses it to run the
// ten-minute soak beside the unit tests instead of after everything else. Each script runs to its
// end even when another fails, so one red run shows every failure.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error("usage: node scripts/run-together.mjs <script> [<script>…]");
  process.exit(2);
}

const width = Math.max(...scripts.map((s) => s.length));
const children = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const child = spawn("pnpm", ["run", script], { stdio: ["ignore", "pipe", "pipe"] });
      const tag = `[${script.padEnd(width)}]`;
      for (const [stream, out] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ]) {
        createInterface({ input: stream }).on("line", (line) => out.write(`${tag} ${line}\n`));
      }
      child.on("error", (err) => {
        console.error(`${tag} could not start: ${err.message}`);
        resolve({ script, code: 1 });
      });
      child.on("close", (code, signal) => resolve({ script, code: code ?? (signal ? 1 : 0), signal }));
    }),
);

// A Ctrl-C reaches the children through the process group; wait for them to report.
const results = await Promise.all(children);
const failed = results.filter((r) => r.code !== 0);
for (const r of results)
  console.log(
    `${r.code === 0 ? "✓" : "✗"} ${r.script}: ${r.signal ? `killed by ${r.signal}` : `exit ${r.code}`}`,
  );
process.exit(failed.length > 0 ? 1 : 0);
