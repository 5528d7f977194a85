import type { IncomingMessage } from "node:http";
import type { Need } from "./permissions.ts";
import type { Principal } from "./roles.ts";

export type { Principal };

/*
 * The seam between the REST router and auth: every route asks here before its handler runs, naming
 * its route pattern (`GET /api/services/:name`) with its parsed input, so the gate (gate.ts) can
 * look it up in the permission table, check share scopes and write the audit record. A server
 * built without auth (unit tests, benchmarks) uses `allowAll`; server.ts always wires the gate.
 */

/** What a route declares it needs; the permission table (permissions.ts) has the final say. */
export type Permission = Need;

export interface AuthContext {
  /** The route as declared: method and pattern, e.g. `POST /api/actions/:id/cancel`. */
  method: string;
  path: string;
  permission: Permission;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export type AuthOutcome =
  | {
      ok: true;
      /** null: a public route asked by someone not signed in. */
      principal: Principal | null;
      /** Called with the answer once the handler is done (audit of allowed requests). */
      finish?: (status: number, body: unknown) => Promise<void>;
    }
  | {
      ok: false;
      status: 401 | 403 | 503;
      code: "unauthorized" | "forbidden" | "unavailable";
      message: string;
    };

export type Authorize = (req: IncomingMessage, ctx: AuthContext) => Promise<AuthOutcome>;

export const allowAll: Authorize = async () => ({
  ok: true,
  principal: { kind: "open", name: "web", role: "admin" },
});
