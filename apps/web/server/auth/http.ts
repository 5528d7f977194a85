import type { IncomingMessage } from "node:http";
import type { RouteDoc } from "../rest/router.ts";
import type { Principal } from "./roles.ts";

/** The REST route shape auth's own routes use (the router's Route, with headers on replies). */
export interface AuthContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  principal: Principal | null;
}

export interface AuthReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

export interface AuthRoute {
  method: "GET" | "POST";
  path: string;
  doc: RouteDoc;
  handle(ctx: AuthContext): Promise<AuthReply>;
}

export const unauthorized = (message: string): AuthReply => ({
  status: 401,
  body: { error: { code: "unauthorized", message } },
});
export const forbidden = (): AuthReply => ({
  status: 403,
  body: { error: { code: "forbidden", message: "not allowed" } },
});
