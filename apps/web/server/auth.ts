import type { IncomingMessage } from "node:http";

/*
 * The one seam for the sign-in issue: every REST route asks here before its handler runs, naming
 * the permission it needs and its route pattern (`GET /api/services/:name`), with its parsed input
 * so a gate can check share scopes and write an audit record. Until auth is wired everyone may do
 * everything and acts as "web".
 */

export type Permission = "read" | "act" | "metrics";

export interface Principal {
  /** Who the action log and the events show as the requester. */
  name: string;
}

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
      principal: Principal;
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

export const allowAll: Authorize = async () => ({ ok: true, principal: { name: "web" } });
