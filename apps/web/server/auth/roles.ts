import type { Role } from "../../lib/auth-contract.ts";

export type { Role };

/** viewer sees everything and acts on nothing; operator runs actions; admin also manages users. */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Who is asking. A share link and anonymous wall-display mode are principals too, never users. */
export type Principal =
  | { kind: "user"; name: string; role: Role; userId: string; sessionId: string }
  | { kind: "share"; name: string; role: "viewer"; share: ShareScope }
  | { kind: "anonymous"; name: "anonymous"; role: "viewer" }
  /** A server built without auth (unit tests, benchmarks): `allowAll` admits everyone as this. */
  | { kind: "open"; name: string; role: "admin" };

/** What a share link may see: one service over one window of time. */
export interface ShareScope {
  id: string;
  service: string;
  from: Date;
  to: Date;
}
