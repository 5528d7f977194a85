import { channelSecrets } from "../alerting/secrets.ts";
import { isPlainMap } from "./merge.ts";
import type { Config } from "./schema.ts";
import { secretMountValues } from "./secret-mounts.ts";
import { redactShapes, SECRET_NAME, shapeSecrets } from "./secret-shapes.ts";

export const REDACTED = "***";

/**
 * Knows the secret values of one loaded config and blanks them out of any text. Each secret is
 * also matched in its JSON-escaped and URL-encoded spellings, since that is how it shows up in
 * serialised config and in URLs.
 */
export class Redactor {
  /** One alternation of every spelling, longest first, so overlapping secrets are replaced whole. */
  readonly #pattern: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    const needles = new Set<string>();
    for (const secret of secrets) {
      if (secret === "") continue;
      needles.add(secret);
      needles.add(JSON.stringify(secret).slice(1, -1));
      needles.add(encodeURIComponent(secret));
    }
    const sorted = [...needles].sort((a, b) => b.length - a.length);
    this.#pattern = sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join("|"), "g");
  }

  /** True when the config held no secret values (secret-shaped text is still masked). */
  get empty(): boolean {
    return this.#pattern === undefined;
  }

  // Arrow properties: callers pass these around unbound (`redactConfig: redactor.redactConfig`).

  /**
   * The text with every secret occurrence replaced by `***`: the config's known values, then
   * anything secret-shaped (auth header values, PEM bodies, secret query parameters, known token
   * formats), which logs and probe messages carry without the config ever holding them.
   */
  readonly redact = (text: string): string =>
    redactShapes(this.#pattern === undefined ? text : text.replace(this.#pattern, REDACTED));

  /** A deep copy of the config with every secret replaced by `***`: safe to print or serialise. */
  readonly redactConfig = (config: Config): Config => this.redactValue(config);

  /** A deep copy with every string redacted: safe to print, log or send to a browser. */
  readonly redactValue = <T>(value: T): T => redactDeep(value, this.redact) as T;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (isPlainMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redactDeep(entry, redact)]));
  }
  return value;
}

const SCHEME = /[a-z][a-z0-9+.-]*:\/\//gi;
const HOST_AFTER_AT = /^(\[[0-9a-f:.]+\]|[\w.-]+)(:\d+)?([/?#,]|$)/i;

/**
 * Passwords in `scheme://user:password@host` (including `redis://:password@host`, and a long
 * user part alone, as tokens are written: `https://TOKEN@host`). Real-world
 * passwords are often not percent-encoded and contain `@`, `#` or `/`, so the userinfo ends at
 * the last `@` that is followed by something host-shaped, not at the first `@`.
 */
export function urlPasswords(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SCHEME)) {
    const rest = text.slice(match.index + match[0].length).split(/\s/, 1)[0] ?? "";
    let at = rest.lastIndexOf("@");
    while (at >= 0 && !HOST_AFTER_AT.test(rest.slice(at + 1))) at = rest.lastIndexOf("@", at - 1);
    if (at < 0) continue;
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(":");
    // `https://ghp_…@github.com/`: a user part alone that long is a token, not a login name.
    const password = colon < 0 ? (userinfo.length >= 16 ? userinfo : "") : userinfo.slice(colon + 1);
    if (password !== "") found.push(password, safeDecode(password));
  }
  return found;
}

/**
 * Finds the secret values written in a config (validated or still raw, so errors about an invalid
 * config are redacted too): values of env keys and headers with secret-looking names or listed
 * in the service's `secrets`, fields listed in `secrets`, `password` fields of checks (mqtt...),
 * the content of secret mounts (inline, or the secret file's),
 * passwords inside URLs anywhere, and secret-shaped values anywhere (secret-shapes.ts).
 */
export function collectSecrets(root: unknown): string[] {
  const found: string[] = [];
  const services = isPlainMap(root) && isPlainMap(root.services) ? Object.values(root.services) : [];
  for (const service of services) {
    if (!isPlainMap(service)) continue;
    const listed = new Set(Array.isArray(service.secrets) ? service.secrets.map(String) : []);
    for (const name of listed) {
      const field = service[name];
      if (typeof field === "string" || typeof field === "number") found.push(String(field));
    }
    walkNamedMaps(service, listed, found);
    found.push(...secretMountValues(service));
  }
  walkStrings(root, (text) => found.push(...urlPasswords(text), ...shapeSecrets(text)));
  found.push(...channelSecrets(root));
  return found;
}

/** `env` and `headers` maps at any depth of a service (service env, check env, check headers). */
function walkNamedMaps(value: unknown, listed: ReadonlySet<string>, found: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) walkNamedMaps(item, listed, found);
    return;
  }
  if (!isPlainMap(value)) return;
  for (const [key, entry] of Object.entries(value)) {
    if ((key === "env" || key === "headers") && isPlainMap(entry)) {
      for (const [name, secret] of Object.entries(entry)) {
        // Booleans are flags like `API_KEY_ENABLED: true`; redacting "true" everywhere helps no one.
        const isValue = typeof secret === "string" || typeof secret === "number";
        if ((SECRET_NAME.test(name) || listed.has(name)) && isValue) {
          found.push(String(secret));
        }
      }
    } else if (key === "password" && (typeof entry === "string" || typeof entry === "number")) {
      found.push(String(entry));
    } else {
      walkNamedMaps(entry, listed, found);
    }
  }
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (Array.isArray(value)) for (const item of value) walkStrings(item, visit);
  else if (isPlainMap(value)) for (const entry of Object.values(value)) walkStrings(entry, visit);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
