import * as z from "zod/mini";

/*
 * An instant on the wire: ISO-8601 with an offset, and inside the range Vigil can store and chart.
 * `z.iso.datetime` alone accepts `0000-01-01T00:00:00Z`, which JavaScript reads as year 1 BC and
 * Postgres refuses ("date/time field value out of range"): a 500 instead of a 400 (issue 19,
 * finding 10). Years 1970–9999 cover every real window and keep `toISOString()` in its 4-digit form.
 */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const Instant = z.iso.datetime({ offset: true }).check(
  z.refine(
    (text) => {
      const ms = Date.parse(text);
      return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
    },
    { message: "must be an instant between 1970-01-01 and 9999-12-31 (UTC)" },
  ),
);
