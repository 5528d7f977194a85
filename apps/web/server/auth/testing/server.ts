import { type Config, ConfigSchema } from "@vigil/orchestrator";
import type { VigilServer } from "../../app.ts";
import { startScriptedServer } from "../../testing/scripted-server.ts";
import { ScriptedEngine } from "../../testing/static-engine.ts";
import { type Auth, type AuthEnv, createAuth } from "../index.ts";
import { authDatabase } from "./db.ts";

export interface AuthTestServer {
  auth: Auth;
  engine: ScriptedEngine;
  server: VigilServer;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

/**
 * A real server with auth wired over a ScriptedEngine (its `runs` show what an action started), on
 * a throwaway database of the real Postgres. Services are `external`; `config` may say otherwise.
 */
export async function startAuthServer(opts: {
  env: AuthEnv;
  services: string[];
  config?: Config;
}): Promise<AuthTestServer> {
  const db = await authDatabase();
  let auth: Auth | undefined;
  try {
    auth = await createAuth({
      sql: db.sql,
      env: opts.env,
      log: () => undefined,
      redact: (t) => t,
      services: () => opts.services,
    });
    const engine = new ScriptedEngine(opts.services);
    const config =
      opts.config ??
      ConfigSchema.parse({
        services: Object.fromEntries(opts.services.map((name) => [name, { kind: "external" }])),
      });
    const server = await startScriptedServer(engine, { config, auth });
    const started = auth;
    return {
      auth: started,
      engine,
      server,
      close: async () => {
        await server.close({ timeoutMs: 2000 });
        started.close();
        await db.drop();
      },
    };
  } catch (err) {
    auth?.close();
    await db.drop();
    throw err;
  }
}
