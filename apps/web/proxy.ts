import { type NextRequest, NextResponse } from "next/server";

/*
 * Next 16's proxy (formerly middleware): a fresh nonce per page request and the CSP that allows
 * only scripts carrying it. Next reads the nonce from the request's Content-Security-Policy header
 * and puts it on its own scripts; the root layout reads `x-nonce` for its inline theme script.
 * 'strict-dynamic' lets those trusted scripts load the app's chunks; nothing else runs.
 * Other security headers for every response (API included) come from the custom server.
 */

export function buildCsp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // Dev only: React's debugging and HMR evaluate code; production never allows eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (charts, positioning) are needed; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = buildCsp(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes, static files and prefetches carry no HTML to protect.
      source: "/((?!api|_next/static|_next/image|favicon.ico|socket.io).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
