import { z } from "zod";
import { duration } from "../config/duration.ts";
import { ChannelConfigSchema } from "../notify/registry.ts";
import { SEVERITIES } from "../notify/types.ts";
import { ResourceRuleSpec } from "./resource-rules.ts";

/*
 * The `alerting:` part of vigil.yaml and the per-service `alerts:` overrides. Keys stay snake_case
 * as written in YAML so error paths match the file. Cross references (routes → channels,
 * maintenance → services/groups, escalation → routes) and each channel's own settings are checked
 * after parsing by `alertingProblems`, which knows the channel registry.
 */

const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "use letters, digits, '_', '.', '-'");
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** When a notification goes out and what follows it. Every field is optional so overrides merge. */
const policyFields = {
  /** Alert after this many consecutive unhealthy results of the root cause… */
  after: z.number().int().min(1).max(1000).optional(),
  /** …or once it has been unhealthy this long, whichever comes first. */
  for: duration.optional(),
  send_on_resolve: z.boolean().optional(),
  remind: z.strictObject({ every: duration, times: z.number().int().min(1).max(100) }).optional(),
  /** Not acknowledged within `after` → also notify the channels of route `to`. */
  escalate: z.strictObject({ after: duration, to: name }).optional(),
  /** `flips` status flips within `within` → one "flapping" notification, then quiet. */
  flapping: z.strictObject({ flips: z.number().int().min(2).max(1000), within: duration }).optional(),
  severity: z.enum(SEVERITIES).optional(),
};

export const AlertPolicyOverrides = z.strictObject({
  /** `false` never alerts for this service (it still shows on the board). */
  enabled: z.boolean().optional(),
  ...policyFields,
});
export type AlertPolicyOverridesSpec = z.output<typeof AlertPolicyOverrides>;

export const RouteSpec = z.strictObject({
  name: name.optional(),
  /** Every given field must match; an empty or missing `match` matches everything. */
  match: z
    .strictObject({
      services: oneOrMany(name).optional(),
      groups: oneOrMany(z.string()).optional(),
      criticality: z.enum(["critical", "normal"]).optional(),
      severity: oneOrMany(z.enum(SEVERITIES)).optional(),
    })
    .default({}),
  channels: z.array(name).min(1),
  /** Routes are tried in order and the first match wins; `continue: true` also tries later ones. */
  continue: z.boolean().default(false),
});
export type RouteSpecConfig = z.output<typeof RouteSpec>;

export const MaintenanceSpec = z
  .strictObject({
    name: name.optional(),
    services: oneOrMany(name).optional(),
    groups: oneOrMany(z.string()).optional(),
    /** The whole project: every service. */
    all: z.boolean().optional(),
    /** One-off window: ISO-8601 instants with an offset. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Recurring window: starts at each cron time (in `timezone`) and lasts `duration`. */
    cron: z.string().optional(),
    duration: duration.optional(),
    timezone: z.string().default("UTC"),
    /** Also hold restart policies during the window (a planned stop is not a crash). */
    pause_restarts: z.boolean().default(false),
  })
  .superRefine((m, ctx) => {
    const targets = (m.all ? 1 : 0) + (m.services ? 1 : 0) + (m.groups ? 1 : 0);
    if (targets === 0) ctx.addIssue({ code: "custom", message: "name services, groups or all: true" });
    const oneOff = m.from !== undefined || m.to !== undefined;
    const recurring = m.cron !== undefined || m.duration !== undefined;
    if (oneOff === recurring) {
      ctx.addIssue({
        code: "custom",
        message: "give either from/to (one-off) or cron + duration (recurring)",
      });
    } else if (oneOff && (m.from === undefined || m.to === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "a one-off window needs both from and to",
        path: [m.from ? "to" : "from"],
      });
    } else if (oneOff && Date.parse(m.to ?? "") <= Date.parse(m.from ?? "")) {
      ctx.addIssue({ code: "custom", message: "to must be after from", path: ["to"] });
    } else if (recurring && (m.cron === undefined || m.duration === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "a recurring window needs both cron and duration",
        path: [m.cron ? "duration" : "cron"],
      });
    }
  });
export type MaintenanceSpecConfig = z.output<typeof MaintenanceSpec>;

export const DEFAULT_POLICY = {
  after: 1,
  send_on_resolve: true,
} as const;

export const AlertingSchema = z
  .strictObject({
    /** Absolute base URL of the web UI, for links in notifications (e.g. https://vigil.example.com). */
    public_url: z.url().default("http://127.0.0.1:3000"),
    /** name → channel; `kind` picks the channel from the registry, whose own schema checks the rest. */
    channels: z.record(name, ChannelConfigSchema).default({}),
    routes: z.array(RouteSpec).default([]),
    defaults: z.strictObject(policyFields).default({}),
    maintenance: z.array(MaintenanceSpec).default([]),
    /** Rules on what services use, e.g. memory above 90 % of its limit for 5 minutes (resource-rules.ts). */
    resource_rules: z.array(ResourceRuleSpec).default([]),
    /** A delivery that has not succeeded after this long is marked failed (no more retries). */
    give_up_after: duration.default(3_600_000),
  })
  .prefault({});
export type AlertingConfig = z.output<typeof AlertingSchema>;
