import type { IncomingMessage } from "node:http";
import type { Principal } from "./roles.ts";
import { AuthService, type AuthServiceOptions } from "./service.ts";

/*
 * `Authorization: Bearer <token>` for REST, /metrics and the CLI. A request that names a bearer
 * token is judged by that token alone: a bad one is refused (401) even when a cookie or anonymous
 * read would have let the request in, so a revoked token never silently works as something else.
 */

/** Turns a presented token into a principal, or null when it is not one of this resolver's. */
export type BearerResolver = (token: string) => Promise<Principal | null> | Principal | null;

export function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== "string") return undefined;
  return /^Bearer +([\x21-\x7e]{1,256})\s*$/i.exec(header)?.[1];
}

export class BearerAuthService extends AuthService {
  constructor(
    opts: AuthServiceOptions,
    private readonly bearers: readonly BearerResolver[],
  ) {
    super(opts);
  }

  override async principal(req: IncomingMessage): Promise<Principal | null> {
    const token = bearerOf(req);
    if (token === undefined) return super.principal(req);
    for (const resolve of this.bearers) {
      const principal = await resolve(token);
      if (principal) return principal;
    }
    return null;
  }

  /**
   * CSRF rides on cookies a browser attaches by itself. A bearer request without cookies carries
   * nothing a foreign page could make the browser send, so it needs no CSRF token.
   */
  override csrfValid(req: IncomingMessage, header: unknown): boolean {
    if (bearerOf(req) !== undefined && req.headers.cookie === undefined) return true;
    return super.csrfValid(req, header);
  }
}
