/**
 * A query string with `:` left readable (legal in queries); `+` stays `%2B` so it is not a space.
 * Its own module so the board's URL state does not bring the history ranges (./range.ts) along.
 */
export function prettyQuery(params: URLSearchParams): string {
  return params.toString().replace(/%3A/gi, ":");
}
