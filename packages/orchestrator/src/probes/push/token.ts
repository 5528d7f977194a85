import { createHmac } from "node:crypto";
import type { Config } from "../../config/schema.ts";
import { checkNames } from "../support/names.ts";

/**
 * The secret of a push check's URL, derived (never stored): HMAC-SHA256 of service and check name
 * under the server's push key. Same key + same names = same URL across restarts; renaming a check
 * or rotating the key gives a new one. 192 bits, URL-safe.
 */
export function pushToken(key: string, service: string, check: string): string {
  return createHmac("sha256", key)
    .update(`vigil push v1\0${service}\0${check}`)
    .digest("base64url")
    .slice(0, 32);
}

export interface PushTarget {
  service: string;
  check: string;
}

/** token → the push check it belongs to, for every push check in the config. */
export function pushTargets(config: Config, key: string): Map<string, PushTarget> {
  const out = new Map<string, PushTarget>();
  for (const [service, svc] of Object.entries(config.services)) {
    const names = checkNames(svc.checks);
    svc.checks.forEach((spec, i) => {
      const check = names[i];
      if (spec.kind === "push" && check !== undefined)
        out.set(pushToken(key, service, check), { service, check });
    });
  }
  return out;
}
