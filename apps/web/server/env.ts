import { hostname as osHostname } from "node:os";
import { z } from "zod";
import { parseProxyHops } from "./auth/client-ip.ts";
import { parseAllowedOrigins } from "./auth/origin.ts";

/*
 * The server's environment, declared and validated once at start. A value that does not parse
 * stops Vigil with a message naming the variable; nothing falls back silently to a default.
 * Config location (VIGIL_CONFIG, VIGIL_ENV, VIGIL_STATE_DIR) is read by locateConfig, which the
 * CLI shares; it is listed here too so a typo'd empty value is caught in one place.
 */

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v));

const flag = (name: string) =>
  z
    .enum(["", "0", "1", "true", "false"], { error: `${name}: use 1 or 0 (true/false)` })
    .optional()
    .transform((v) => v === "1" || v === "true");

/** A number in (0, max], or [0, max] with `zero` (PORT=0 picks a free port). */
const positive = (
  name: string,
  fallback: number,
  opts: { integer?: boolean; max?: number; zero?: true } = {},
) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      const ok =
        Number.isFinite(n) &&
        (opts.zero ? n >= 0 : n > 0) &&
        (!opts.integer || Number.isInteger(n)) &&
        n <= (opts.max ?? Number.POSITIVE_INFINITY);
      if (!ok) {
        const kind = opts.integer ? "a whole number" : "a number";
        const range = `${opts.zero ? "from 0" : "above 0"}${opts.max ? ` up to ${opts.max}` : ""}`;
        ctx.addIssue({ code: "custom", message: `${name}: "${v}" is not ${kind} ${range}` });
        return z.NEVER;
      }
      return n;
    });

/** A parser that throws a message naming the variable (shared with the code that owns the rule). */
const parsedBy = <T>(parse: (text: string | undefined) => T) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parse(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    });

/** VIGIL_SESSION_IDLE_MINUTES: unset or 0 = no idle timeout; otherwise whole minutes ≥ 5. */
function parseIdleMinutes(text: string | undefined): number | null {
  if (text === undefined || text.trim() === "" || text.trim() === "0") return null;
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 5)
    throw new Error(
      `VIGIL_SESSION_IDLE_MINUTES: "${text}" is not a whole number of minutes (5 or more, 0 = off)`,
    );
  return minutes;
}

const ServerEnvSchema = z.object({
  DATABASE_URL: text,
  HOST: text,
  PORT: positive("PORT", 3000, { integer: true, max: 65535, zero: true }),
  NODE_ENV: text,
  VIGIL_CONFIG: text,
  VIGIL_ENV: text,
  VIGIL_STATE_DIR: text,
  VIGIL_PGDATA: text,
  VIGIL_STOP_ON_EXIT: flag("VIGIL_STOP_ON_EXIT"),
  VIGIL_NO_UI: flag("VIGIL_NO_UI"),
  VIGIL_SECRET: text,
  VIGIL_ADMIN_USER: text,
  VIGIL_ADMIN_PASSWORD: text,
  VIGIL_ALLOWED_ORIGINS: parsedBy(parseAllowedOrigins),
  VIGIL_TRUST_PROXY: parsedBy(parseProxyHops),
  VIGIL_ALLOWED_HOSTS: text,
  VIGIL_PUBLIC_URL: text,
  VIGIL_INTERNAL_URL: text,
  VIGIL_SESSION_IDLE_MINUTES: parsedBy(parseIdleMinutes),
  VIGIL_ANONYMOUS_READ: flag("VIGIL_ANONYMOUS_READ"),
  VIGIL_METRICS_TOKEN: text,
  VIGIL_PUBLIC_RATE_LIMIT: positive("VIGIL_PUBLIC_RATE_LIMIT", 600, { integer: true }),
  VIGIL_SESSION_HOURS: positive("VIGIL_SESSION_HOURS", 168, { max: 24 * 366 }),
  VIGIL_CLUSTER: flag("VIGIL_CLUSTER"),
  VIGIL_NODE_NAME: text,
  REDIS_URL: text,
});

/** Cluster mode (several instances on one Postgres); null = one instance, as without it. */
export interface ClusterSettings {
  /** VIGIL_NODE_NAME: how the board and `node:` name this instance; default the host name. */
  nodeName: string;
  /** REDIS_URL: browsers' broadcasts go through Redis streams instead of Postgres NOTIFY. */
  redisUrl: string | undefined;
}

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Cluster mode needs a shared database and a node name `node:` can refer to. */
function clusterSettings(
  e: {
    VIGIL_CLUSTER: boolean;
    VIGIL_NODE_NAME: string | undefined;
    DATABASE_URL: string | undefined;
    REDIS_URL: string | undefined;
  },
  hostname: string,
): { settings: ClusterSettings | null; problems: string[] } {
  if (!e.VIGIL_CLUSTER) return { settings: null, problems: [] };
  const problems: string[] = [];
  if (!e.DATABASE_URL)
    problems.push(
      "VIGIL_CLUSTER: needs DATABASE_URL (the instances share one Postgres; the embedded database cannot be shared)",
    );
  const nodeName = e.VIGIL_NODE_NAME ?? hostname;
  if (!NODE_NAME.test(nodeName))
    problems.push(
      `VIGIL_NODE_NAME: "${nodeName}" is not a node name (letters, digits, . _ -; up to 63; starts with a letter or digit)`,
    );
  const redisUrl = e.REDIS_URL;
  if (redisUrl !== undefined && !isRedisUrl(redisUrl))
    problems.push(
      `REDIS_URL: "${redactUrl(redisUrl)}" is not a Redis URL (redis://host:6379 or rediss://… for TLS)`,
    );
  return { settings: { nodeName, redisUrl }, problems };
}

function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** A URL's password never reaches the log, even in an error about the URL. */
function redactUrl(text: string): string {
  return text.replace(/\/\/([^:/@\s]*):[^@\s]*@/, "//$1:***@");
}

/** Sign-in settings (see SECURITY.md), typed. */
export interface AuthSettings {
  secret: string | undefined;
  adminUser: string | undefined;
  adminPassword: string | undefined;
  allowedOrigins: string[];
  /** VIGIL_TRUST_PROXY: how many proxies append to X-Forwarded-For in front of Vigil (0 = none). */
  proxyHops: number;
  trustProxy: boolean;
  /** VIGIL_ALLOWED_HOSTS (comma-separated), added to the listen host, loopback and public URL hosts. */
  allowedHosts: string | undefined;
  listenHost: string | undefined;
  publicUrl: string | undefined;
  internalUrl: string | undefined;
  /** VIGIL_SESSION_IDLE_MINUTES; null = no idle timeout. */
  idleMinutes: number | null;
  anonymousRead: boolean;
  metricsToken: string | undefined;
  sessionHours: number;
}

export interface ServerEnv {
  databaseUrl: string | undefined;
  /** VIGIL_PGDATA: the embedded Postgres' directory when DATABASE_URL is unset (default .vigil/pgdata). */
  pgdata: string | undefined;
  host: string;
  port: number;
  dev: boolean;
  /** VIGIL_STOP_ON_EXIT=1: stop the services on SIGTERM instead of leaving them running. */
  stopOnExit: boolean;
  /** VIGIL_NO_UI=1: API, sockets and /metrics only, no Next.js (headless installs, tests). */
  noUi: boolean;
  /** VIGIL_PUBLIC_RATE_LIMIT: requests per minute per client address on status pages and badges. */
  publicRateLimit: number;
  auth: AuthSettings;
  /** VIGIL_CLUSTER=1: one of several instances on one Postgres; null = the only instance. */
  cluster: ClusterSettings | null;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Environment error:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses the variables Vigil reads; throws EnvError listing every bad one. */
export function parseServerEnv(
  environ: Readonly<Record<string, string | undefined>>,
  hostname: string = osHostname(),
): ServerEnv {
  const parsed = ServerEnvSchema.safeParse(environ);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) =>
        // Custom messages already name the variable; zod's own ones get it prefixed.
        i.message.includes(String(i.path[0] ?? "")) ? i.message : `${String(i.path[0])}: ${i.message}`,
      ),
    );
  }
  const e = parsed.data;
  const cluster = clusterSettings(e, hostname);
  if (cluster.problems.length > 0) throw new EnvError(cluster.problems);
  return {
    databaseUrl: e.DATABASE_URL,
    pgdata: e.VIGIL_PGDATA,
    host: e.HOST ?? "0.0.0.0",
    port: e.PORT,
    dev: e.NODE_ENV !== "production",
    stopOnExit: e.VIGIL_STOP_ON_EXIT,
    noUi: e.VIGIL_NO_UI,
    publicRateLimit: e.VIGIL_PUBLIC_RATE_LIMIT,
    auth: {
      secret: e.VIGIL_SECRET,
      adminUser: e.VIGIL_ADMIN_USER,
      adminPassword: e.VIGIL_ADMIN_PASSWORD,
      allowedOrigins: e.VIGIL_ALLOWED_ORIGINS,
      proxyHops: e.VIGIL_TRUST_PROXY,
      trustProxy: e.VIGIL_TRUST_PROXY > 0,
      allowedHosts: e.VIGIL_ALLOWED_HOSTS,
      listenHost: e.HOST,
      publicUrl: e.VIGIL_PUBLIC_URL,
      internalUrl: e.VIGIL_INTERNAL_URL,
      idleMinutes: e.VIGIL_SESSION_IDLE_MINUTES,
      anonymousRead: e.VIGIL_ANONYMOUS_READ,
      metricsToken: e.VIGIL_METRICS_TOKEN,
      sessionHours: e.VIGIL_SESSION_HOURS,
    },
    cluster: cluster.settings,
  };
}

/** The sign-in part alone (tests and embedders that build auth without the whole server). */
export function parseAuthSettings(environ: Readonly<Record<string, string | undefined>>): AuthSettings {
  return parseServerEnv({ ...environ, PORT: undefined, NODE_ENV: undefined }).auth;
}
