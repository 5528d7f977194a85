/**
 * The CSRF token bound to this browser's session, read when a request is sent: the readable
 * `vigil_csrf` cookie (set together with the cookie it is bound to, so the two always match, even
 * when several responses raced to set them), else the session endpoint's answer.
 */
export async function csrfToken(timeoutMs = 15_000): Promise<string> {
  // Over https the server names it `__Host-vigil_csrf` (see server/auth/cookies.ts).
  const cookies = document.cookie.split("; ");
  const named = (name: string) => cookies.find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
  const fromCookie = named("__Host-vigil_csrf") ?? named("vigil_csrf");
  if (fromCookie) return decodeURIComponent(fromCookie);
  const res = await fetch("/api/auth/session", { cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json().catch(() => null)) as { csrfToken?: unknown } | null;
  return typeof body?.csrfToken === "string" ? body.csrfToken : "";
}
