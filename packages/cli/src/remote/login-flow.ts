import { hostname } from "node:os";
import { z } from "zod";
import { ServerError } from "./client.ts";

/*
 * `vigil login` with a user name and password: signs in like the browser does (session cookie +
 * CSRF token), creates an API token for this machine, and signs out. Only the token is kept.
 */

const TIMEOUT_MS = 15_000;
const Session = z.object({ csrfToken: z.string() });
const Created = z.object({ token: z.string(), expiresAt: z.string(), scope: z.string() });

class Jar {
  readonly #cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 1) continue;
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.#cookies.delete(pair.slice(0, eq));
      else this.#cookies.set(pair.slice(0, eq), value);
    }
  }
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export async function loginForToken(q: {
  url: string;
  username: string;
  password: string;
  scope: "read" | "operate" | "admin";
  days: number;
  signal?: AbortSignal | undefined;
}): Promise<{ token: string; expiresAt: string; scope: string }> {
  const jar = new Jar();
  const call = async (method: string, path: string, body?: unknown, csrf?: string) => {
    const headers: Record<string, string> = { accept: "application/json", cookie: jar.header() };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (csrf) headers["x-csrf-token"] = csrf;
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(q.signal ? [q.signal] : [])];
    let res: Response;
    try {
      res = await fetch(new URL(path, q.url), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      throw new ServerError(`cannot reach ${q.url}: ${err instanceof Error ? err.message : String(err)}`, 0);
    }
    jar.take(res);
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const message = z.object({ error: z.object({ message: z.string() }) }).safeParse(json);
      throw new ServerError(
        `${method} ${path}: ${message.success ? message.data.error.message : `HTTP ${res.status}`}`,
        res.status,
      );
    }
    return json;
  };
  const before = Session.parse(await call("GET", "/api/auth/session"));
  await call("POST", "/api/auth/login", { username: q.username, password: q.password }, before.csrfToken);
  const csrf = jar.get("vigil_csrf") ?? Session.parse(await call("GET", "/api/auth/session")).csrfToken;
  const name = `vigil login (${q.username}@${hostname()})`.slice(0, 80);
  const created = Created.parse(
    await call("POST", "/api/tokens", { name, scope: q.scope, expiresInDays: q.days }, csrf),
  );
  await call("POST", "/api/auth/logout", undefined, csrf).catch(() => undefined);
  return created;
}
