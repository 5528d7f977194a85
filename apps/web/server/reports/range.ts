import { z } from "zod";
import { HttpError } from "../rest/errors.ts";

export const ReportQuery = z.object({
  kind: z.enum(["service", "group"]),
  target: z.string().min(1).max(200),
  /** A calendar month in UTC, e.g. 2026-10; or from/to. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "YYYY-MM")
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** SLO target in percent, e.g. 99.9. */
  slo: z.coerce.number().min(50).max(100).default(99.9),
  format: z.enum(["json", "csv"]).default("json"),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

const MAX_RANGE_MS = 366 * 86_400_000;

/** The report's range from a month or from/to; bounded to a year. */
export function reportRange(q: Pick<ReportQuery, "month" | "from" | "to">): { from: Date; to: Date } {
  let from: Date;
  let to: Date;
  if (q.month) {
    const [y, m] = q.month.split("-").map(Number);
    from = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, 1));
    to = new Date(Date.UTC(y ?? 0, m ?? 1, 1));
  } else if (q.from && q.to) {
    from = new Date(q.from);
    to = new Date(q.to);
  } else throw new HttpError("bad_request", "month: give a month (YYYY-MM) or both from and to", "month");
  if (to <= from) throw new HttpError("bad_request", "to: must be after from", "to");
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw new HttpError("bad_request", "to: a report covers at most a year", "to");
  return { from, to };
}
