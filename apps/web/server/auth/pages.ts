import type { IncomingMessage, ServerResponse } from "node:http";
import { SHARE_COOKIE, serializeCookie } from "./cookies.ts";
import type { Gate } from "./gate.ts";
import type { AuthService } from "./service.ts";

/*
 * The gate in front of Next: pages need a principal like the API does. Without one the browser is
 * sent to /login; a share link's visitor reaches only its one service page. Next's static assets
 * and the sign-in page itself are open (they hold no data).
 */

// Next's metadata icons (/icon.svg…) hold no data and the sign-in page shows them.
const OPEN = [
  /^\/_next\//,
  /^\/favicon\.ico$/,
  /^\/(apple-)?icon[\w.-]*$/,
  /^\/login\/?$/,
  /^\/robots\.txt$/,
];
const SHARE_PATH = /^\/share\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\/?$/;

function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

/** True when the gate answered the request itself; false = hand it to Next. */
export async function pageGate(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { auth: AuthService; gate: Gate; secure: (req: IncomingMessage) => boolean },
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  const share = SHARE_PATH.exec(path);
  if (share) {
    const scope = await deps.auth.openShare(share[1] ?? "").catch(() => null);
    // Tampered, expired, revoked or unknown: the same answer, nothing to learn from it.
    if (!scope) {
      plain(res, 403, "This link is not valid.");
      return true;
    }
    const maxAge = Math.floor((scope.expiresAt.getTime() - Date.now()) / 1000);
    const target = new URLSearchParams({ from: scope.from.toISOString(), to: scope.to.toISOString() });
    res.writeHead(302, {
      location: `/services/${encodeURIComponent(scope.service)}?${target}`,
      "set-cookie": serializeCookie(SHARE_COOKIE, share[1] ?? "", {
        sameSite: "Lax",
        secure: deps.secure(req),
        maxAgeSeconds: maxAge,
      }),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    });
    res.end();
    return true;
  }
  if (OPEN.some((re) => re.test(path))) return false;
  let principal: Awaited<ReturnType<Gate["principal"]>>;
  try {
    principal = await deps.gate.principal(req);
  } catch {
    plain(res, 503, "Sign-in is unavailable right now; try again shortly.", { "retry-after": "5" });
    return true;
  }
  if (principal?.kind === "share") {
    if (path === `/services/${encodeURIComponent(principal.share.service)}`) return false;
    plain(res, 403, "This link only shows one service.");
    return true;
  }
  if (principal) return false;
  const next = path + url.search;
  res.writeHead(302, { location: `/login?next=${encodeURIComponent(next)}`, "cache-control": "no-store" });
  res.end();
  return true;
}
