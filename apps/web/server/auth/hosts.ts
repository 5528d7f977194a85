import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import type { Duplex } from "node:stream";

/*
 * DNS rebinding defence. A page on evil.example can make its own name resolve to Vigil's address;
 * the browser then treats Vigil as same-origin with the attacker and sends `Host: evil.example`.
 * The Origin check cannot tell (origin and host agree), so the Host itself must be one Vigil
 * answers to: the listen address, loopback names, the public URL and whatever the operator lists.
 */

export interface HostPolicy {
  /** Lower-case host names and IP literals (IPv6 without brackets), ports ignored. */
  readonly names: ReadonlySet<string>;
  /** Also check X-Forwarded-Host (VIGIL_TRUST_PROXY): a proxy that rewrites Host passes it on there. */
  readonly trustProxy: boolean;
}

const WILDCARD = new Set(["", "0.0.0.0", "::", "[::]"]);

/** `Example.com:3000` → `example.com`, `[::1]:80` → `::1`; null when it is not a host at all. */
export function hostName(value: string): string | null {
  const text = value.trim().toLowerCase();
  if (text === "") return null;
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1] ?? null;
  if (isIP(text) === 6) return text;
  const plain = /^([a-z0-9.-]+)(?::\d+)?$/.exec(text);
  return plain?.[1]?.replace(/\.$/, "") ?? null;
}

function hostOfUrl(url: string, what: string): string {
  try {
    return hostName(new URL(url).host) ?? "";
  } catch {
    throw new Error(`${what}: "${url}" is not a URL like https://vigil.example.com`);
  }
}

export function hostPolicy(opts: {
  /** VIGIL_ALLOWED_HOSTS, comma-separated names (ports ignored). */
  allowedHosts?: string | undefined;
  /** HOST: the address the server listens on. */
  listenHost?: string | undefined;
  /** VIGIL_PUBLIC_URL: the address users type (behind a proxy). */
  publicUrl?: string | undefined;
  /** VIGIL_INTERNAL_URL: where the pages' server components call the API (server-api.ts). */
  internalUrl?: string | undefined;
  /** VIGIL_ALLOWED_ORIGINS, already parsed: a proxy's origin is a host users reach Vigil by. */
  allowedOrigins: readonly string[];
  trustProxy: boolean;
}): HostPolicy {
  const names = new Set(["localhost", "127.0.0.1", "::1"]);
  for (const raw of (opts.allowedHosts ?? "").split(",")) {
    if (raw.trim() === "") continue;
    const name = hostName(raw);
    if (!name)
      throw new Error(`VIGIL_ALLOWED_HOSTS: "${raw.trim()}" is not a host name like vigil.example.com`);
    names.add(name);
  }
  const listen = (opts.listenHost ?? "").trim().toLowerCase();
  if (WILDCARD.has(listen)) {
    // Listening everywhere: every address of this machine is "the listen host".
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(a.address.split("%")[0]?.toLowerCase() ?? a.address);
  } else {
    const name = hostName(listen);
    if (name) names.add(name);
  }
  if (opts.publicUrl) names.add(hostOfUrl(opts.publicUrl, "VIGIL_PUBLIC_URL"));
  if (opts.internalUrl) names.add(hostOfUrl(opts.internalUrl, "VIGIL_INTERNAL_URL"));
  for (const origin of opts.allowedOrigins) names.add(hostOfUrl(origin, "VIGIL_ALLOWED_ORIGINS"));
  return { names, trustProxy: opts.trustProxy };
}

/** Null = allowed; otherwise the status and the text to answer with. */
export function refusal(
  req: IncomingMessage,
  policy: HostPolicy,
): { status: 400 | 421; text: string } | null {
  const given = req.headers.host;
  if (typeof given !== "string" || given === "")
    return { status: 400, text: "Bad request: a Host header is required.\n" };
  const hosts = [given];
  const forwarded = req.headers["x-forwarded-host"];
  if (policy.trustProxy && typeof forwarded === "string" && forwarded !== "")
    hosts.push(...forwarded.split(","));
  for (const host of hosts) {
    const name = hostName(host);
    if (name === null || !policy.names.has(name)) {
      const shown = host
        .trim()
        .slice(0, 100)
        .replace(/[^\x20-\x7e]/g, "?");
      return {
        status: 421,
        text:
          `Misdirected request: Vigil does not answer to the host "${shown}". ` +
          "If this is the address you use, add it to VIGIL_ALLOWED_HOSTS.\n",
      };
    }
  }
  return null;
}

const REASON = { 400: "Bad Request", 421: "Misdirected Request" } as const;

/**
 * Puts the Host check in front of every listener of the server — the app's handler, Socket.IO's
 * polling and WebSocket upgrades, Next's HMR — by taking the listeners registered so far and
 * calling them only for allowed hosts. Call it after everything has attached to `server`.
 */
export function refuseForeignHosts(server: HttpServer, policy: HostPolicy): void {
  const onRequest = server.listeners("request").slice() as ((...args: unknown[]) => void)[];
  const onUpgrade = server.listeners("upgrade").slice() as ((...args: unknown[]) => void)[];
  server.removeAllListeners("request");
  server.removeAllListeners("upgrade");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req, policy);
    if (!refused) {
      for (const listener of onRequest) listener.call(server, req, res);
      return;
    }
    res.writeHead(refused.status, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(refused.text),
    });
    res.end(refused.text);
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refused = refusal(req, policy);
    if (!refused) {
      for (const listener of onUpgrade) listener.call(server, req, socket, head);
      return;
    }
    socket.end(
      `HTTP/1.1 ${refused.status} ${REASON[refused.status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(refused.text)}\r\nConnection: close\r\n\r\n${refused.text}`,
    );
  });
}
