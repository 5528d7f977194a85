// Child process for the kill -9 test: writes results, flushes, prints "ACK <n>" after each
// acknowledged flush, and keeps writing until it is SIGKILLed.
import { createDb } from "../client.ts";
import { createHistoryStore } from "../history/store.ts";

const url = process.argv[2];
if (!url) throw new Error("usage: kill-writer.ts DATABASE_URL");
const db = createDb({ url, maxConnections: 1 });
const store = createHistoryStore({ db, batchSize: 200, flushIntervalMs: 10_000 });
let n = 0;
for (;;) {
  for (let i = 0; i < 100; i++) {
    store.recordResult({
      service: "k",
      check: "c",
      at: new Date(),
      status: "healthy",
      latencyMs: 1,
      message: String(n++),
    });
  }
  await store.flush();
  process.stdout.write(`ACK ${n}\n`);
}
