// Child process for the kill -9 outbox test: writes one notification to the outbox for channel
// "hook", waits until Postgres has it, prints "WRITTEN" and kills itself with SIGKILL before
// sending — the moment between outbox write and send.
import { OutboxRecorder } from "@vigil/orchestrator";
import { createOutboxStore } from "../alerting/outbox-store.ts";
import { createDb } from "../client.ts";

const [url, notificationJson] = process.argv.slice(2);
if (!url || !notificationJson) throw new Error("usage: kill-outbox.ts DATABASE_URL NOTIFICATION_JSON");
const db = createDb({ url, maxConnections: 1 });
const recorder = new OutboxRecorder(createOutboxStore(db));
const notification = JSON.parse(notificationJson);
const now = Date.now();
recorder.add([
  {
    id: `${notification.id}/hook`,
    channel: "hook",
    notification,
    createdAt: now,
    state: "pending",
    attempts: 0,
    nextAttemptAt: now,
  },
]);
await recorder.flushed(AbortSignal.timeout(10_000));
process.stdout.write("WRITTEN\n");
process.kill(process.pid, "SIGKILL");
