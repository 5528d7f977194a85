import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientIp, parseProxyHops, rateKey } from "./client-ip.ts";

/* Pure functions over a request's headers and peer address (no server needed). */

const req = (peer: string, xff?: string) =>
  ({
    headers: xff === undefined ? {} : { "x-forwarded-for": xff },
    socket: { remoteAddress: peer },
  }) as unknown as IncomingMessage;

describe("clientIp", () => {
  it("without a trusted proxy, the peer address; X-Forwarded-For is not believed", () => {
    expect(clientIp(req("10.0.0.5", "1.2.3.4"), 0)).toBe("10.0.0.5");
    expect(clientIp(req("::ffff:10.0.0.5"), 0)).toBe("10.0.0.5");
  });

  it("behind N appending proxies, the N-th entry from the right", () => {
    // client-chosen junk, the real client, then what proxy 1 appended about proxy 2's view
    const header = "6.6.6.6, 203.0.113.7, 10.0.0.2";
    expect(clientIp(req("10.0.0.3", header), 1)).toBe("10.0.0.2");
    expect(clientIp(req("10.0.0.3", header), 2)).toBe("203.0.113.7");
    expect(clientIp(req("10.0.0.3", "203.0.113.7"), 2)).toBe("203.0.113.7");
  });

  it("a hop that is not an address falls back to the peer", () => {
    expect(clientIp(req("10.0.0.3", "evil, not-an-ip"), 1)).toBe("10.0.0.3");
    expect(clientIp(req("10.0.0.3", "[2001:db8::1]:443"), 1)).toBe("2001:db8::1");
  });
});

describe("rateKey", () => {
  it("keys IPv6 by /64 and IPv4 by address", () => {
    expect(rateKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(rateKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(rateKey("::1")).toBe("0:0:0:0::/64");
    expect(rateKey("::ffff:1.2.3.4")).toBe("1.2.3.4");
    expect(rateKey("203.0.113.7")).toBe("203.0.113.7");
  });
});

describe("parseProxyHops", () => {
  it("reads a hop count, 1 for true, and refuses anything else loudly", () => {
    expect(parseProxyHops(undefined)).toBe(0);
    expect(parseProxyHops("1")).toBe(1);
    expect(parseProxyHops("2")).toBe(2);
    expect(parseProxyHops("true")).toBe(1);
    expect(() => parseProxyHops("yes")).toThrow(/VIGIL_TRUST_PROXY: "yes"/);
  });
});
