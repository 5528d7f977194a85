import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../lib/contract.ts";

/**
 * A browser-like HTTP client for tests: keeps cookies, sends the CSRF header the UI's fetch
 * wrapper sends, and an Origin like a browser on the page would.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  #keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
    const headers: Record<string, string> = { origin: this.base, ...opts.headers };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const csrf = this.cookies.get("vigil_csrf");
    if (method !== "GET" && opts.csrf !== false && csrf) headers["x-csrf-token"] = decodeURIComponent(csrf);
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      redirect: "manual",
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(15_000),
    });
    this.#keep(res);
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers, text };
  }

  get(path: string) {
    return this.request("GET", path);
  }

  post(path: string, body?: unknown, opts: { headers?: Record<string, string>; csrf?: boolean } = {}) {
    return this.request("POST", path, { ...opts, body: body ?? {} });
  }

  /** GET /api/auth/session (for the CSRF cookie), then sign in. */
  async signIn(username: string, password: string): Promise<number> {
    await this.get("/api/auth/session");
    return (await this.post("/api/auth/login", { username, password })).status;
  }

  socket(opts: { origin?: string } = {}): Socket<ServerToClientEvents, ClientToServerEvents> {
    return io(this.base, {
      transports: ["websocket"],
      reconnection: false,
      timeout: 5000,
      extraHeaders: {
        origin: opts.origin ?? this.base,
        ...(this.cookies.size ? { cookie: this.cookieHeader } : {}),
      },
    });
  }
}

/** Resolves with the connect_error message, or rejects if the socket connects. */
export function connectError(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("socket connected")));
    socket.once("connect_error", (err) => resolve(err.message));
  });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
}
