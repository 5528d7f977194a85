import type { IncomingMessage } from "node:http";

/*
 * The one seam for the sign-in issue: every REST route names the permission it needs and asks
 * here first. Until auth exists everyone may do everything and acts as "web".
 */

export type Permission = "read" | "act" | "metrics";

export interface Principal {
  /** Who the action log and the events show as the requester. */
  name: string;
}

export type Authorize = (req: IncomingMessage, permission: Permission) => Promise<Principal | null>;

export const allowAll: Authorize = async () => ({ name: "web" });
