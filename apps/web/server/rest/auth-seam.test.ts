import { ConfigSchema } from "@vigil/orchestrator";
import { afterEach, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import type { AuthContext } from "../auth/seam.ts";
import { getJson, postJson } from "../testing/http.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";

let server: VigilServer | undefined;
afterEach(async () => {
  await server?.close({ timeoutMs: 2000 });
});

it("asks the authorize hook with the route pattern and input, and reports the outcome", async () => {
  const seen: AuthContext[] = [];
  const finished: number[] = [];
  const engine = new ScriptedEngine(["db"]);
  server = await startScriptedServer(engine, {
    config: ConfigSchema.parse({ services: { db: { kind: "external" } } }),
    authorize: async (_req, ctx) => {
      seen.push(ctx);
      if (ctx.permission === "act")
        return { ok: false, status: 403, code: "forbidden", message: "viewers cannot act" };
      return {
        ok: true,
        principal: { kind: "open", name: "alice", role: "admin" },
        finish: async (status) => void finished.push(status),
      };
    },
  });
  const denied = await postJson(server.url, "/api/actions", { kind: "stop", targets: ["db"] });
  expect(denied).toEqual({
    status: 403,
    body: { error: { code: "forbidden", message: "viewers cannot act" } },
  });
  expect(engine.runs).toHaveLength(0);
  expect(seen[0]).toMatchObject({
    method: "POST",
    path: "/api/actions",
    permission: "act",
    body: { kind: "stop" },
  });
  expect((await getJson(server.url, "/api/services/db")).status).toBe(200);
  expect(seen[1]).toMatchObject({ method: "GET", path: "/api/services/:name", params: { name: "db" } });
  expect((await getJson(server.url, "/api/services/nope")).status).toBe(404);
  expect(finished).toEqual([200, 404]);
});
