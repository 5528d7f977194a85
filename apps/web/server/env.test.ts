import { describe, expect, it } from "vitest";
import { EnvError, parseServerEnv } from "./env.ts";

describe("server environment", () => {
  it("gives typed defaults for an empty environment", () => {
    const env = parseServerEnv({});
    expect(env).toMatchObject({ host: "0.0.0.0", port: 3000, dev: true, stopOnExit: false, noUi: false });
    expect(env.auth).toEqual({
      secret: undefined,
      adminUser: undefined,
      adminPassword: undefined,
      allowedOrigins: [],
      proxyHops: 0,
      trustProxy: false,
      allowedHosts: undefined,
      listenHost: undefined,
      publicUrl: undefined,
      internalUrl: undefined,
      idleMinutes: null,
      anonymousRead: false,
      metricsToken: undefined,
      sessionHours: 168,
    });
  });

  it("reads every variable it knows", () => {
    const env = parseServerEnv({
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      VIGIL_STOP_ON_EXIT: "1",
      VIGIL_SESSION_HOURS: "1.5",
      VIGIL_TRUST_PROXY: "true",
      VIGIL_ALLOWED_ORIGINS: "https://a.example, https://b.example/x",
      VIGIL_METRICS_TOKEN: "",
      VIGIL_PGDATA: "/srv/vigil/pgdata",
    });
    expect(env).toMatchObject({
      port: 0,
      host: "127.0.0.1",
      dev: false,
      stopOnExit: true,
      pgdata: "/srv/vigil/pgdata",
    });
    expect(env.auth).toMatchObject({
      sessionHours: 1.5,
      proxyHops: 1,
      trustProxy: true,
      metricsToken: undefined,
      allowedOrigins: ["https://a.example", "https://b.example"],
    });
  });

  it("stops on a bad value, naming each variable, instead of falling back", () => {
    let error: unknown;
    try {
      parseServerEnv({ VIGIL_SESSION_HOURS: "abc", PORT: "70000", VIGIL_ANONYMOUS_READ: "yes" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain('VIGIL_SESSION_HOURS: "abc" is not a number above 0');
    expect(message).toContain('PORT: "70000" is not a whole number from 0 up to 65535');
    expect(message).toContain("VIGIL_ANONYMOUS_READ: use 1 or 0");
    expect(() => parseServerEnv({ VIGIL_SESSION_HOURS: "-3" })).toThrow(/VIGIL_SESSION_HOURS/);
    expect(() => parseServerEnv({ VIGIL_ALLOWED_ORIGINS: "not a url" })).toThrow(/VIGIL_ALLOWED_ORIGINS/);
  });

  it("is one instance without VIGIL_CLUSTER, and a named cluster node with it", () => {
    expect(parseServerEnv({ VIGIL_NODE_NAME: "a" }).cluster).toBeNull();
    const env = parseServerEnv({ VIGIL_CLUSTER: "1", DATABASE_URL: "postgres://db/vigil" }, "box-1");
    expect(env.cluster).toEqual({ nodeName: "box-1" });
    expect(
      parseServerEnv({ VIGIL_CLUSTER: "1", DATABASE_URL: "postgres://db/vigil", VIGIL_NODE_NAME: "n2" })
        .cluster,
    ).toEqual({ nodeName: "n2" });
  });

  it("refuses cluster mode without a shared database or with a bad node name, naming the variable", () => {
    expect(() => parseServerEnv({ VIGIL_CLUSTER: "1" }, "box")).toThrow(/VIGIL_CLUSTER: needs DATABASE_URL/);
    expect(() =>
      parseServerEnv({ VIGIL_CLUSTER: "1", DATABASE_URL: "postgres://db/v", VIGIL_NODE_NAME: "a b" }),
    ).toThrow(/VIGIL_NODE_NAME: "a b" is not a node name/);
    expect(() => parseServerEnv({ VIGIL_CLUSTER: "yes" })).toThrow(EnvError);
  });

  it("takes REDIS_URL for the cluster's socket adapter and names it when it is not a Redis URL", () => {
    const cluster = { VIGIL_CLUSTER: "1", DATABASE_URL: "postgres://db/v", VIGIL_NODE_NAME: "a" };
    expect(parseServerEnv({ ...cluster, REDIS_URL: "redis://127.0.0.1:6379" }).cluster?.redisUrl).toBe(
      "redis://127.0.0.1:6379",
    );
    expect(parseServerEnv(cluster).cluster?.redisUrl).toBeUndefined();
    const bad = () => parseServerEnv({ ...cluster, REDIS_URL: "http://u:hunter2@cache:6379" });
    expect(bad).toThrow(/REDIS_URL: "http:\/\/u:\*\*\*@cache:6379" is not a Redis URL/);
    expect(bad).not.toThrow(/hunter2/);
  });
});
