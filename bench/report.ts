import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scenarios } from "./scenarios/index.ts";
import type { Metric } from "./types.ts";

/*
 * `pnpm exec tsx bench/report.ts`: the latest bench/results/*.json as Markdown (the table and the
 * per-scenario run facts), for BENCHMARKS.md. Scenarios without results are listed as not run.
 */

interface Record {
  scenario: string;
  startedAt: string;
  durationS?: number;
  quick: boolean;
  load1m?: { before: number; after: number };
  metrics: Metric[];
  notes?: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const rows: string[] = ["| scenario | metric | value | target | met |", "|---|---|---:|---|---|"];
const runs: string[] = [
  "| scenario | run at (UTC) | mode | took | 1-min load before → after |",
  "|---|---|---|---:|---|",
];
const notes: string[] = [];
for (const s of scenarios) {
  let record: Record;
  try {
    record = JSON.parse(await readFile(path.join(here, "results", `${s.name}.json`), "utf8")) as Record;
  } catch {
    rows.push(`| ${s.name} | (not run) | | | |`);
    continue;
  }
  for (const m of record.metrics) {
    const met = m.met === undefined ? "" : m.met ? "yes" : "**no**";
    rows.push(`| ${s.name} | ${m.name} | ${format(m.value)} ${m.unit} | ${m.target ?? ""} | ${met} |`);
  }
  const load = record.load1m ? `${record.load1m.before.toFixed(2)} → ${record.load1m.after.toFixed(2)}` : "";
  const took = record.durationS === undefined ? "" : `${record.durationS.toFixed(0)} s`;
  runs.push(
    `| ${s.name} | ${record.startedAt.slice(0, 19).replace("T", " ")} | ${record.quick ? "--quick" : "full"} | ${took} | ${load} |`,
  );
  notes.push(`**${s.name}**`, "", ...(record.notes ?? []).map((n) => `- ${n}`), "");
}
console.log([...rows, "", ...runs, "", ...notes].join("\n"));

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  return Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}
