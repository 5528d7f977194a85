import { describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { PostgresCheck } from "./postgres.ts";
import { runCheck } from "./run.ts";

// Real targets started on the machine before each session (see shared/notes/environment.md).
describe("postgres probe", () => {
  it("connects and runs its query on the real Postgres", async () => {
    const spec = PostgresCheck.parse({ kind: "postgres", url: "postgres://127.0.0.1:5432/test" });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result).toMatchObject({
      status: "healthy",
      message: "postgres://127.0.0.1:5432/test: select 1 ok",
    });
  });

  it("reports a failing query and never prints the password", async () => {
    const url = "postgres://postgres:hunter2pw@127.0.0.1:5432/test";
    const bad = await runCheck(PostgresCheck.parse({ kind: "postgres", url, query: "select nope" }), {
      timeoutMs: 10_000,
    });
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toContain('column "nope" does not exist');
    expect(bad.message).not.toContain("hunter2pw");
    const port = await closedPort();
    const closed = await runCheck(
      PostgresCheck.parse({ kind: "postgres", url: `postgres://u:hunter2pw@127.0.0.1:${port}/x` }),
      { timeoutMs: 10_000 },
    );
    expect(closed.status).toBe("unhealthy");
    expect(closed.message).toContain(`postgres://127.0.0.1:${port}/x`);
    expect(closed.message).not.toContain("hunter2pw");
  });
});

describe("postgres probe values", () => {
  const url = "postgres://127.0.0.1:5432/test";

  it("reports a numeric first cell as its value, and none for other results", async () => {
    const counted = await runCheck(
      PostgresCheck.parse({ kind: "postgres", url, query: "select 3::bigint" }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(counted).toMatchObject({ status: "healthy", values: { value: 3 } });
    const text = await runCheck(PostgresCheck.parse({ kind: "postgres", url, query: "select 'x'" }), {
      timeoutMs: 10_000,
    });
    expect(text.status).toBe("healthy");
    expect(text.values).toBeUndefined();
  });

  it("is unhealthy when the value misses its condition, naming value and condition", async () => {
    const spec = PostgresCheck.parse({
      kind: "postgres",
      url,
      query: "select 2 + 3",
      expect: { value: ["> 0", "== 0"] },
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result).toMatchObject({
      status: "unhealthy",
      message: `value 5 is not == 0 (${url}: select 2 + 3 ok)`,
      values: { value: 5 },
    });
    const ok = await runCheck(
      { ...spec, expect: PostgresCheck.shape.expect.parse({ value: "== 5" }) },
      {
        timeoutMs: 10_000,
      },
    );
    expect(ok.status).toBe("healthy");
  });
});
