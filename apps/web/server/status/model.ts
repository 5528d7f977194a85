import { z } from "zod";

/*
 * Status pages, notices and badges at the edge: what operators may send (zod) and the typed rows
 * inside. Public routes only ever see a component's `id` and public `name`, never its `ref`.
 */

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export const Component = z.object({
  /** Stable public id (URL-safe), used by notices and in the JSON. */
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, "lowercase letters, digits and dashes"),
  kind: z.enum(["service", "group"]),
  /** The internal service or group name; never leaves through a public route. */
  ref: z.string().min(1).max(200),
  /** The name the public sees. */
  name: z.string().trim().min(1).max(80),
});
export type Component = z.infer<typeof Component>;

/** An uploaded logo: raster only (an SVG can carry script), small, checked by its magic bytes. */
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export const LOGO_MAX_BYTES = 32 * 1024;

export const PageInput = z.object({
  slug: z.string().regex(SLUG, "lowercase letters, digits and dashes, 1-64 characters"),
  title: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(""),
  logoUrl: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain })
    .max(500)
    .nullable()
    .default(null),
  /** base64 of a PNG/JPEG/GIF/WebP up to 32 kB; null removes it, absent keeps it. */
  logoData: z
    .base64()
    .max(Math.ceil((LOGO_MAX_BYTES * 4) / 3) + 4)
    .nullable()
    .optional(),
  /** Plain text, 10-256 characters; null removes the password, absent keeps it. */
  password: z.string().min(10).max(256).nullable().optional(),
  customDomain: z
    .string()
    .toLowerCase()
    .regex(HOSTNAME, "a host name such as status.example.com")
    .nullable()
    .default(null),
  components: z
    .array(Component)
    .max(100)
    .default([])
    .refine((list) => new Set(list.map((c) => c.id)).size === list.length, "component ids must be unique"),
});
export type PageInput = z.infer<typeof PageInput>;

export const NOTICE_STATUSES = {
  incident: ["investigating", "identified", "monitoring", "resolved"],
  maintenance: ["scheduled", "in_progress", "completed"],
} as const;

export const NoticeInput = z.object({
  kind: z.enum(["incident", "maintenance"]),
  title: z.string().trim().min(1).max(200),
  /** The alerting incident this notice speaks for, if any. */
  incidentId: z.string().max(100).nullable().default(null),
  components: z.array(z.string().max(40)).max(100).default([]),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
  /** The first public update. */
  status: z.string().max(20),
  body: z.string().trim().min(1).max(5000),
});
export type NoticeInput = z.infer<typeof NoticeInput>;

export const UpdateInput = z.object({
  status: z.string().max(20),
  body: z.string().trim().min(1).max(5000),
});

/** cert: days until the soonest certificate expiry among the target's checks (their `days_remaining` value). */
export const BADGE_METRICS = ["status", "uptime", "latency", "cert"] as const;
export const BADGE_WINDOWS = ["24h", "7d", "30d", "90d"] as const;
export type BadgeWindow = (typeof BADGE_WINDOWS)[number];

export const BadgeInput = z.object({
  targetKind: z.enum(["service", "group"]),
  target: z.string().min(1).max(200),
  metric: z.enum(BADGE_METRICS),
  window: z.enum(BADGE_WINDOWS).nullable().default(null),
  /** Left-hand text; defaults to the metric's name. */
  label: z.string().trim().min(1).max(40).nullable().default(null),
});
export type BadgeInput = z.infer<typeof BadgeInput>;

export interface PageRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  logoType: string | null;
  logoData: Buffer | null;
  passwordHash: string | null;
  customDomain: string | null;
  components: Component[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface UpdateRow {
  id: string;
  status: string;
  body: string;
  at: Date;
}

export interface NoticeRow {
  id: string;
  pageId: string;
  kind: "incident" | "maintenance";
  title: string;
  incidentId: string | null;
  components: string[];
  startsAt: Date;
  endsAt: Date | null;
  createdAt: Date;
  /** Newest first. */
  updates: UpdateRow[];
}

export interface BadgeRow {
  id: string;
  targetKind: "service" | "group";
  target: string;
  metric: (typeof BADGE_METRICS)[number];
  window: BadgeWindow | null;
  label: string | null;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Is the notice over? An incident when its last update says resolved; maintenance when completed or past its end. */
export function noticeClosed(n: NoticeRow, now: Date): boolean {
  const last = n.updates[0]?.status;
  if (n.kind === "incident") return last === "resolved";
  return last === "completed" || (n.endsAt !== null && n.endsAt <= now);
}
