import { describe, expect, it } from "vitest";
import { PEER_HEADERS, PEER_WINDOW_MS, PeerAuth } from "./peer-auth.ts";

const request = { method: "POST", path: "/internal/cluster/actions", body: '{"to":"m1"}' };

describe("instance-to-instance signatures", () => {
  it("accepts a signed request once", () => {
    const auth = new PeerAuth("k");
    const headers = auth.headers(request);
    expect(auth.verify(request, headers)).toEqual({ ok: true });
    expect(auth.verify(request, headers)).toEqual({ ok: false, reason: "replayed" });
  });

  it("refuses another key, another body, path or method, and a changed nonce", () => {
    const auth = new PeerAuth("k");
    const forged = new PeerAuth("not k").headers(request);
    expect(auth.verify(request, forged)).toEqual({ ok: false, reason: "bad signature" });
    const headers = auth.headers(request);
    for (const changed of [
      { ...request, body: '{"to":"m2"}' },
      { ...request, path: "/internal/cluster/other" },
      { ...request, method: "PUT" },
    ])
      expect(auth.verify(changed, headers)).toEqual({ ok: false, reason: "bad signature" });
    const renonced = { ...headers, [PEER_HEADERS.nonce]: "0".repeat(32) };
    expect(auth.verify(request, renonced)).toEqual({ ok: false, reason: "bad signature" });
    expect(auth.verify(request, {})).toEqual({ ok: false, reason: "bad timestamp" });
  });

  it("refuses a timestamp outside the window either way, and forgets spent nonces after it", () => {
    let now = 1_800_000_000_000;
    const receiver = new PeerAuth("k", () => now);
    const late = new PeerAuth("k", () => now - PEER_WINDOW_MS - 1).headers(request);
    const early = new PeerAuth("k", () => now + PEER_WINDOW_MS + 1).headers(request);
    expect(receiver.verify(request, late)).toEqual({ ok: false, reason: "bad timestamp" });
    expect(receiver.verify(request, early)).toEqual({ ok: false, reason: "bad timestamp" });
    const headers = new PeerAuth("k", () => now).headers(request);
    expect(receiver.verify(request, headers).ok).toBe(true);
    now += PEER_WINDOW_MS + 1;
    // Past the window a replay is refused by its timestamp, though the nonce is forgotten.
    expect(receiver.verify(request, headers)).toEqual({ ok: false, reason: "bad timestamp" });
  });
});
