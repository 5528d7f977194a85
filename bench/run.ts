import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scenarios } from "./scenarios/index.ts";
import type { ScenarioResult } from "./types.ts";

/*
 * `pnpm bench [name…] [--quick]`: runs the scenarios, prints one table, and writes
 * bench/results/<name>.json with the machine facts next to the numbers.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const wanted = args.filter((a) => !a.startsWith("--"));
const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(
    `unknown scenario(s): ${unknown.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = wanted.length > 0 ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "?",
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};

await mkdir(path.join(here, "results"), { recursive: true });
const rows: string[][] = [];
let failed = 0;
for (const scenario of selected) {
  console.log(`▶ ${scenario.name}: ${scenario.description}`);
  const startedAt = new Date();
  // The machine is shared: the load average around each scenario says whether others skewed it.
  const loadBefore = os.loadavg()[0] ?? 0;
  let result: ScenarioResult;
  try {
    result = await scenario.run({ quick });
  } catch (error) {
    failed++;
    console.error(
      `✗ ${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    continue;
  }
  const load = { before: loadBefore, after: os.loadavg()[0] ?? 0 };
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const record = {
    scenario: scenario.name,
    startedAt: startedAt.toISOString(),
    durationS,
    quick,
    machine,
    load1m: load,
    ...result,
  };
  await writeFile(
    path.join(here, "results", `${scenario.name}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  for (const m of result.metrics) {
    const met = m.met === undefined ? "" : m.met ? "yes" : "NO";
    rows.push([scenario.name, m.name, `${round(m.value)} ${m.unit}`, m.target ?? "", met]);
  }
  for (const note of result.notes ?? []) console.log(`  note: ${note}`);
  console.log(
    `  ${durationS.toFixed(0)} s; 1-min load average ${load.before.toFixed(2)} → ${load.after.toFixed(2)} on ${machine.cpus} cores`,
  );
}

printTable(["scenario", "metric", "value", "target", "met"], rows);
process.exit(failed > 0 ? 1 : 0);

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of body) console.log(line(r));
}
