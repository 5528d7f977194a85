import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { startMuteServer } from "../testing/mute-server.ts";
import { firstValue, judgeAnswer, MysqlCheck } from "./mysql.ts";
import { runCheck } from "./run.ts";

// The real MariaDB the machine runs (root, empty password over TCP; see shared/notes/environment.md).
const ROOT_URL = process.env.VIGIL_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const user = `vigil_t_${randomBytes(4).toString("hex")}`;
const password = `pw-${randomBytes(8).toString("hex")}`;
const userUrl = `mysql://${user}:${encodeURIComponent(password)}@127.0.0.1:3306`;

async function asRoot(sql: string): Promise<void> {
  const conn = await createConnection({ uri: ROOT_URL, connectTimeout: 10_000 });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

describe("mysql check parsing", () => {
  it("defaults to the local server and a ping", () => {
    expect(MysqlCheck.parse({ kind: "mysql" })).toMatchObject({ url: "mysql://root@127.0.0.1:3306" });
  });

  it("refuses an expected answer without a query", () => {
    const parsed = MysqlCheck.safeParse({ kind: "mysql", expect: { equals: 1 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["expect"] });
  });

  it("maps an answer to a result: equals, then numeric conditions", () => {
    const spec = MysqlCheck.parse({ kind: "mysql", query: "q", expect: { equals: 5, answer: "< 3" } });
    expect(judgeAnswer(spec, "db", "4")).toMatchObject({
      status: "unhealthy",
      message: "db: q gave 4, expected 5",
    });
    expect(judgeAnswer(spec, "db", "5")).toMatchObject({
      status: "unhealthy",
      message: "answer 5 is not < 3 (db: q = 5)",
      values: { answer: 5 },
    });
    const text = MysqlCheck.parse({ kind: "mysql", query: "q", expect: { answer: ">= 0" } });
    expect(judgeAnswer(text, "db", "ON")).toMatchObject({
      status: "unhealthy",
      message: "answer not reported (expected >= 0) (db: q = ON)",
    });
    expect(judgeAnswer(text, "db", null).status).toBe("unhealthy");
    expect(judgeAnswer(MysqlCheck.parse({ kind: "mysql", query: "q" }), "db", null)).toMatchObject({
      status: "healthy",
      message: "db: q = no rows",
    });
  });

  it("reads the first value of any row shape", () => {
    expect(firstValue([[1, 2]])).toBe("1");
    expect(firstValue([{ n: "x" }])).toBe("[object Object]");
    expect(firstValue([[null]])).toBeNull();
    expect(firstValue([])).toBeNull();
    expect(firstValue([[Buffer.from("ok")]])).toBe("ok");
    expect(firstValue({ affectedRows: 0 })).toBeNull();
  });
});

describe("mysql probe on the real MariaDB", () => {
  beforeAll(async () => {
    await asRoot(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`);
  });
  afterAll(async () => {
    await asRoot(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
  });

  it("pings, and checks a query's answer", async () => {
    const ping = await runCheck(MysqlCheck.parse({ kind: "mysql", url: userUrl }), { timeoutMs: 10_000 });
    expect(ping).toMatchObject({ status: "healthy", message: `mysql://127.0.0.1:3306: ping ok` });
    const answer = await runCheck(
      MysqlCheck.parse({
        kind: "mysql",
        url: userUrl,
        query: "select 40 + 2",
        expect: { equals: 42, answer: ">= 40" },
      }),
      { timeoutMs: 10_000 },
    );
    expect(answer).toMatchObject({ status: "healthy", details: { answer: "42" }, values: { answer: 42 } });
    expect(answer.latencyMs).toBeGreaterThan(0);
  });

  it("is unhealthy on an unexpected answer or a failing query", async () => {
    const wrong = await runCheck(
      MysqlCheck.parse({
        kind: "mysql",
        url: userUrl,
        query: "select 'replica'",
        expect: { equals: "primary" },
      }),
      { timeoutMs: 10_000 },
    );
    expect(wrong).toMatchObject({
      status: "unhealthy",
      message: "mysql://127.0.0.1:3306: select 'replica' gave replica, expected primary",
    });
    const failing = await runCheck(MysqlCheck.parse({ kind: "mysql", url: userUrl, query: "select nope" }), {
      timeoutMs: 10_000,
    });
    expect(failing.status).toBe("unhealthy");
    expect(failing.message).toContain("Unknown column 'nope'");
  });

  it("is unhealthy on a wrong password, and never shows either password", async () => {
    const badUrl = `mysql://${user}:not-${password}@127.0.0.1:3306`;
    const bad = await runCheck(MysqlCheck.parse({ kind: "mysql", url: badUrl }), { timeoutMs: 10_000 });
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toContain("Access denied");
    expect(JSON.stringify(bad)).not.toContain(password);
  });

  it("gives up on a query that outlasts the timeout", async () => {
    const slow = await runCheck(MysqlCheck.parse({ kind: "mysql", url: userUrl, query: "select sleep(3)" }), {
      timeoutMs: 500,
    });
    expect(slow).toMatchObject({ status: "unhealthy", message: "timed out after 500ms" });
  });

  it("is unhealthy when the server is down", async () => {
    const port = await closedPort();
    const down = await runCheck(
      MysqlCheck.parse({ kind: "mysql", url: `mysql://${user}:${password}@127.0.0.1:${port}` }),
      { timeoutMs: 10_000 },
    );
    expect(down.status).toBe("unhealthy");
    expect(down.message).toContain("ECONNREFUSED");
    expect(JSON.stringify(down)).not.toContain(password);
  });

  it("gives up on a server that accepts and never answers, without holding up another check", async () => {
    const mute = await startMuteServer();
    try {
      const [hung, fine] = await Promise.all([
        runCheck(MysqlCheck.parse({ kind: "mysql", url: `mysql://u:${password}@127.0.0.1:${mute.port}` }), {
          timeoutMs: 400,
        }),
        runCheck(MysqlCheck.parse({ kind: "mysql", url: userUrl }), { timeoutMs: 10_000 }),
      ]);
      expect(hung).toMatchObject({ status: "unhealthy", message: "timed out after 400ms" });
      expect(fine.status).toBe("healthy");
      expect(mute.accepted).toBe(1);
    } finally {
      await mute.close();
    }
  });
});
