import type { Config } from "./schema.ts";
import type { SchemaProblem } from "./zod-issues.ts";

/** A drill's `of` must name a postgres backup job: the one place a job refers to another. */
export function jobProblems(config: Config): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const [name, service] of Object.entries(config.services)) {
    if (service.kind !== "job" || !service.drill) continue;
    const of = service.drill.of;
    const target = config.services[of];
    const message = !target
      ? `unknown job "${of}"`
      : target.kind !== "job" || !target.backup
        ? `"${of}" is not a backup job`
        : target.backup.type !== "postgres"
          ? `"${of}" backs up ${target.backup.type}: a drill restores postgres backups only`
          : undefined;
    if (message) problems.push({ path: ["services", name, "drill", "of"], atKey: false, message });
  }
  return problems;
}
