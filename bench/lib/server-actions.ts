/*
 * Lifecycle actions on a running built server, as the board's buttons send them: POST
 * /api/actions with the session cookies and the CSRF token, then GET /api/actions/:id until it
 * settles (bounded).
 */

interface Cookie {
  name: string;
  value: string;
}

/** Starts or stops the whole stack and waits for the action; returns its outcome as text. */
export async function startActionAndWait(
  url: string,
  cookies: readonly Cookie[],
  kind: "start" | "stop",
  timeoutMs: number,
): Promise<string> {
  const jar = new Map(cookies.map((c) => [c.name, c.value]));
  // The session answer re-issues the CSRF cookie bound to this session when it differs.
  const session = await fetch(`${url}/api/auth/session`, {
    headers: { cookie: header(jar) },
    signal: AbortSignal.timeout(30_000),
  });
  for (const c of session.headers.getSetCookie()) {
    const [pair = ""] = c.split(";");
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(at + 1) !== "") jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const csrf = jar.get("vigil_csrf");
  if (csrf === undefined) throw new Error("no vigil_csrf cookie after sign-in");
  const res = await fetch(`${url}/api/actions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: url,
      cookie: header(jar),
      "x-csrf-token": decodeURIComponent(csrf),
    },
    body: JSON.stringify({ kind }),
    // Spawning or signalling a thousand processes keeps the server's loop busy before it answers.
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status !== 202) throw new Error(`${kind} refused: HTTP ${res.status} ${await res.text()}`);
  const { actionId } = (await res.json()) as { actionId: string };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const body = await fetch(`${url}/api/actions/${actionId}`, {
      headers: { cookie: header(jar) },
      signal: AbortSignal.timeout(30_000),
    })
      .then((view) => view.json() as Promise<{ result?: string; message?: string | null }>)
      .catch(() => ({ result: "running", message: null }));
    if (body.result !== undefined && body.result !== "running") {
      return `${kind} ${body.result}${body.message ? ` (${body.message})` : ""}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${kind} action ${actionId} still running after ${timeoutMs} ms`);
}

function header(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}
