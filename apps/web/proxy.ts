import { type NextRequest, NextResponse } from "next/server";

/*
 * Next 16's proxy (formerly middleware): a fresh nonce per page request and the CSP that allows
 * only scripts and <style> elements carrying it. Next reads the nonce from the request's
 * Content-Security-Policy header and puts it on its own scripts; the root layout reads `x-nonce`
 * for its inline theme script. 'strict-dynamic' lets those trusted scripts load the app's chunks;
 * nothing else runs. Other security headers for every response (API included) come from the
 * custom server.
 */

/**
 * Styles: stylesheets from our origin, <style> elements only with the nonce, and no style
 * attributes at all, so injected markup can neither restyle the page nor run CSS selectors
 * (attribute-selector exfiltration). Our server-rendered HTML has no style attributes (status
 * colours are classes, bars and sizes SVG attributes); what React and Recharts set from script
 * goes through the CSSOM, which CSP does not govern. style-src repeats the rule for browsers
 * without the -elem/-attr directives.
 * Dev only: Next's dev tooling injects <style> elements without the nonce (measured: hundreds of
 * violations over five pages), and React's debugging evaluates code; production allows neither.
 */
export function buildCsp(nonce: string, dev: boolean): string {
  const styles = dev
    ? ["style-src 'self' 'unsafe-inline'"]
    : [
        `style-src 'self' 'nonce-${nonce}'`,
        `style-src-elem 'self' 'nonce-${nonce}'`,
        "style-src-attr 'none'",
      ];
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    ...styles,
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
