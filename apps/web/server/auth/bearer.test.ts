import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { effectiveRole } from "./api-tokens.ts";
import { bearerOf } from "./bearer.ts";

const req = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe("bearer tokens", () => {
  it("reads `Authorization: Bearer <token>` and nothing else", () => {
    expect(bearerOf(req("Bearer vgl_abc-_x"))).toBe("vgl_abc-_x");
    expect(bearerOf(req("bearer vgl_abc"))).toBe("vgl_abc");
    expect(bearerOf(req("Basic dXNlcjpwdw=="))).toBeUndefined();
    expect(bearerOf(req("Bearer "))).toBeUndefined();
    expect(bearerOf(req("Bearer a b"))).toBeUndefined();
    expect(bearerOf(req(`Bearer ${"x".repeat(300)}`))).toBeUndefined();
    expect(bearerOf(req())).toBeUndefined();
  });

  it("never lets a token do more than its scope or its owner's current role", () => {
    expect(effectiveRole("admin", "admin")).toBe("admin");
    expect(effectiveRole("operate", "admin")).toBe("operator");
    expect(effectiveRole("read", "admin")).toBe("viewer");
    // The owner was demoted after the token was made: the token follows.
    expect(effectiveRole("admin", "operator")).toBe("operator");
    expect(effectiveRole("operate", "viewer")).toBe("viewer");
  });
});
