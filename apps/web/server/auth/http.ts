import type { Reply, RequestContext, Route } from "../rest/router.ts";

/*
 * Auth's own routes are the router's routes without a permission: the table in ./index.ts adds
 * it (ROUTE_RULES) when they are mounted.
 */
export type AuthContext = RequestContext;
export type AuthReply = Reply;
export type AuthRoute = Omit<Route, "permission">;

export const unauthorized = (message: string): AuthReply => ({
  status: 401,
  body: { error: { code: "unauthorized", message } },
});
export const forbidden = (): AuthReply => ({
  status: 403,
  body: { error: { code: "forbidden", message: "not allowed" } },
});
