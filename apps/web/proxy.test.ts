import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildCsp, proxy } from "./proxy.ts";

/*
 * The page CSP as sent. That Chromium renders every page under it without a violation is
 * e2e/05-auth.spec.ts's to show.
 */

const directives = (csp: string) =>
  new Map(
    csp.split(";").map((d) => {
      const [name = "", ...sources] = d.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );

describe("buildCsp (production)", () => {
  const csp = directives(buildCsp("bm9uY2U=", false));

  it("allows <style> elements only with the nonce and no style attributes at all", () => {
    expect(csp.get("style-src-elem")).toEqual(["'self'", "'nonce-bm9uY2U='"]);
    expect(csp.get("style-src-attr")).toEqual(["'none'"]);
    // The fallback for browsers without -elem/-attr is just as strict.
    expect(csp.get("style-src")).toEqual(["'self'", "'nonce-bm9uY2U='"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-inline'");
  });

  it("keeps scripts to the nonce (no eval) and the page out of frames", () => {
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
  });
});

it("dev relaxes styles and eval only", () => {
  const dev = directives(buildCsp("bm9uY2U=", true));
  expect(dev.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
  expect(dev.has("style-src-attr")).toBe(false);
  expect(dev.get("script-src")).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'", "'unsafe-eval'"]);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

it("proxy: a fresh nonce per request, the same one in the CSP Next reads, the layout's x-nonce and the answer", () => {
  vi.stubEnv("NODE_ENV", "production");
  const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const res = proxy(new NextRequest("http://127.0.0.1:3000/graph"));
    const sent = res.headers.get("content-security-policy");
    const nonce = nonceOf(sent);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);
    // NextResponse.next({ request: { headers } }) hands the rewritten request headers on like this.
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(sent);
    expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(directives(sent ?? "").get("style-src-elem")).toContain(`'nonce-${nonce}'`);
    seen.add(nonce ?? "");
  }
  expect(seen.size).toBe(3);
});
