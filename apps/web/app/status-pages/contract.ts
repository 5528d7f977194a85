import * as z from "zod";

/** What the operators' status-page routes answer (server/status/routes.ts), as the browser reads it. */
export const PageSummary = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  hasPassword: z.boolean(),
  customDomain: z.string().nullable(),
  components: z.array(z.object({ id: z.string(), kind: z.string(), ref: z.string(), name: z.string() })),
});
export type PageSummary = z.infer<typeof PageSummary>;
export const PagesResponse = z.object({ pages: z.array(PageSummary) });

export const BadgeSummary = z.object({
  id: z.string(),
  targetKind: z.string(),
  target: z.string(),
  metric: z.string(),
  window: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const BadgesResponse = z.object({ badges: z.array(BadgeSummary) });
export const BadgeCreated = BadgeSummary.extend({ url: z.string() });
export const Anything = z.unknown();

export const inputClass = "rounded border border-line bg-surface px-1 py-0.5";
export const buttonClass =
  "rounded border border-line px-2 py-0.5 text-sm hover:bg-line/40 disabled:opacity-50";

/** A component id from its public name: lowercase words joined by dashes. */
export const idOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "component";
