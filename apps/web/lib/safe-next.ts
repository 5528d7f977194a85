/*
 * Where sign-in may send the browser afterwards (`/login?next=…`). Shared by the login page's
 * server render and its client code, so both apply the same rule.
 *
 * A prefix check ("starts with / but not //") is not enough: URL parsers drop tab, CR and LF
 * anywhere and read "\" as "/" in http(s) URLs, so `/%09/evil.example/` becomes
 * `//evil.example/`, another host. The value is therefore resolved as a URL against a fixed
 * origin and kept only when it stays on that origin; what is returned is the parsed path, never
 * the raw text, so the browser navigates to exactly what was checked.
 */

const BASE = "http://vigil.invalid";

/** A same-origin path (`/services/db?range=1h`) from a `next` parameter, or "/" for anything else. */
export function safeNext(value: unknown): string {
  // `?next=a&next=b` arrives as an array: the first one counts, like URLSearchParams.get.
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" || !raw.startsWith("/")) return "/";
  const path = sameOriginPath(raw);
  // Re-resolve the result: `/.//evil.example` normalises to the path `//evil.example`, which on its
  // own would be a protocol-relative URL to another host.
  return path !== null && sameOriginPath(path) === path ? path : "/";
}

function sameOriginPath(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? null : path;
}
