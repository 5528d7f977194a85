import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { closeInterruptedActions, INTERRUPTED_MESSAGE } from "./interrupted.ts";
import { createHistoryStore } from "./store.ts";

describe("actions left unfinished by a Vigil that stopped (real Postgres)", () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url, maxConnections: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it("are marked failed (interrupted) once, and finished actions are left as they were", async () => {
    const store = createHistoryStore({ db });
    const startedAt = new Date(Date.UTC(2026, 10, 23, 9, 0, 0));
    const running = store.recordAction({
      kind: "restart",
      targets: ["api"],
      requestedBy: "alice",
      startedAt,
    });
    const done = store.recordAction({ kind: "stop", targets: ["web"], requestedBy: "bob", startedAt });
    store.updateAction(done, { finishedAt: new Date(startedAt.getTime() + 2000), result: "succeeded" });
    await store.flush();

    const at = new Date(Date.UTC(2026, 10, 23, 9, 5, 0));
    expect(await closeInterruptedActions(db, at)).toEqual([running]);
    expect(await store.action(running)).toMatchObject({
      result: "failed",
      message: INTERRUPTED_MESSAGE,
      finishedAt: at,
    });
    expect(await store.action(done)).toMatchObject({ result: "succeeded", message: null });
    expect(await closeInterruptedActions(db)).toEqual([]);
    await store.close();
  });
});
