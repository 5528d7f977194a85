import { describe, expect, it } from "vitest";
import { closedPort, startHttpServer } from "../testing/http-server.ts";
import { runCheck } from "./run.ts";
import { TcpCheck } from "./tcp.ts";

// Real targets started on the machine before each session (see shared/notes/environment.md).
describe("tcp probe", () => {
  it("connects to a listening port and fails on a closed one", async () => {
    const server = await startHttpServer((_req, res) => res.end());
    try {
      const ok = await runCheck(TcpCheck.parse({ kind: "tcp", port: server.port }), { timeoutMs: 5000 });
      expect(ok).toMatchObject({ status: "healthy", message: `connected to 127.0.0.1:${server.port}` });
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const bad = await runCheck(TcpCheck.parse({ kind: "tcp", port }), { timeoutMs: 5000 });
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toContain("ECONNREFUSED");
  });

  it("reports a run cancelled mid-connect as cancelled and leaves no connection open", async () => {
    const server = await startHttpServer((_req, res) => res.end());
    try {
      const caller = new AbortController();
      const run = runCheck(TcpCheck.parse({ kind: "tcp", port: server.port }), {
        timeoutMs: 5000,
        signal: caller.signal,
      });
      caller.abort();
      expect(await run).toMatchObject({ status: "unhealthy", message: "cancelled" });
      // Each later run connects and closes again: nothing is left behind by the cancelled one.
      const ok = await runCheck(TcpCheck.parse({ kind: "tcp", port: server.port }), { timeoutMs: 5000 });
      expect(ok.status).toBe("healthy");
    } finally {
      await server.close();
    }
  });
});
