import { z } from "zod";
import { duration } from "../config/duration.ts";
import { SEVERITIES, type Severity } from "../notify/types.ts";
import { formatLimit } from "../runners/process-limits.ts";

/*
 * Alert rules on what services use, beside the status-driven decisions: "memory above 90 % of its
 * limit for 5 minutes". Pure: fed samples with their instants, it says when a rule starts and
 * stops firing for a service. The web's alerting runtime routes and delivers what it returns.
 */

const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "use letters, digits, '_', '.', '-'");

export const ResourceRuleSpec = z.strictObject({
  name: name.optional(),
  /** Fires when memory stays above this % of the service's memory limit (services without a limit never match). */
  memory_of_limit_above: z.number().gt(0).max(100),
  /** How long it must stay above before the alert goes out; 0 alerts on the first sample above. */
  for: duration.default(300_000),
  /** Only these services / groups; neither = every service with a memory limit. */
  services: z.array(name).min(1).optional(),
  groups: z.array(z.string()).min(1).optional(),
  severity: z.enum(SEVERITIES).default("warning"),
  /** Also notify when it falls back under the threshold. */
  send_on_resolve: z.boolean().default(true),
});
export type ResourceRuleConfig = z.output<typeof ResourceRuleSpec>;

/** A rule starting or stopping to fire for one service. */
export interface ResourceAlert {
  event: "trigger" | "resolve";
  rule: string;
  service: string;
  severity: Severity;
  /** When memory first went above the threshold (the alert's identity), ms since epoch. */
  since: number;
  at: number;
  /** One line for the notification: "memory 93 % of its 1 GiB limit for 5m (rule memory-near-limit)". */
  title: string;
}

interface Streak {
  since: number;
  fired: boolean;
}

export class ResourceRules {
  #rules: readonly ResourceRuleConfig[];
  #groups: ReadonlyMap<string, string>;
  readonly #streaks = new Map<string, Streak>();

  /** `groups`: service → its group, for rules matching by group. */
  constructor(rules: readonly ResourceRuleConfig[], groups: ReadonlyMap<string, string>) {
    this.#rules = rules;
    this.#groups = groups;
  }

  /** A reloaded config; streaks of rules that still exist are kept, so a reload does not re-send. */
  reconfigure(rules: readonly ResourceRuleConfig[], groups: ReadonlyMap<string, string>): void {
    this.#rules = rules;
    this.#groups = groups;
    const names = new Set(rules.map((r, i) => ruleName(r, i)));
    for (const key of this.#streaks.keys())
      if (!names.has(key.split("\u0000")[0] ?? "")) this.#streaks.delete(key);
  }

  /** One sample of `service` at `at` (ms). Returns the alerts it starts or ends. */
  sample(
    service: string,
    at: number,
    usage: { memoryBytes: number; memoryLimitBytes?: number | undefined },
  ): ResourceAlert[] {
    const out: ResourceAlert[] = [];
    const limit = usage.memoryLimitBytes;
    this.#rules.forEach((rule, i) => {
      if (!this.#applies(rule, service)) return;
      const rname = ruleName(rule, i);
      const key = `${rname}\u0000${service}`;
      const percent = limit && limit > 0 ? (usage.memoryBytes / limit) * 100 : undefined;
      const streak = this.#streaks.get(key);
      if (percent === undefined || percent <= rule.memory_of_limit_above) {
        this.#streaks.delete(key);
        if (streak?.fired && rule.send_on_resolve) {
          const title = `${service}: memory back under ${rule.memory_of_limit_above} % of its limit (rule ${rname})`;
          out.push({
            event: "resolve",
            rule: rname,
            service,
            severity: rule.severity,
            since: streak.since,
            at,
            title,
          });
        }
        return;
      }
      const current = streak ?? { since: at, fired: false };
      this.#streaks.set(key, current);
      if (current.fired || at - current.since < rule.for) return;
      current.fired = true;
      const title = `${service}: memory ${Math.round(percent)} % of its ${formatLimit(limit ?? 0)} limit for ${formatFor(at - current.since)} (rule ${rname}: above ${rule.memory_of_limit_above} % for ${formatFor(rule.for)})`;
      out.push({
        event: "trigger",
        rule: rname,
        service,
        severity: rule.severity,
        since: current.since,
        at,
        title,
      });
    });
    return out;
  }

  #applies(rule: ResourceRuleConfig, service: string): boolean {
    if (rule.services && !rule.services.includes(service)) return false;
    return !rule.groups || rule.groups.includes(this.#groups.get(service) ?? "");
  }
}

const ruleName = (rule: ResourceRuleConfig, index: number): string =>
  rule.name ?? `resource-rule-${index + 1}`;

/** 300000 → "5m", 90000 → "1m30s", 1500 → "1.5s". */
function formatFor(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}
