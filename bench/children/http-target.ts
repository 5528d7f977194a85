import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parentChannel } from "../lib/child.ts";
import type { TargetIn, TargetOut } from "../lib/target.ts";

/*
 * The load target: a plain node HTTP server on loopback, in its own process so answering
 * thousands of requests per second costs Vigil's process nothing. Every path answers a small
 * health document; paths under /flip/ answer 503 while the parent has set them down.
 */

let requests = 0;
let flipUp = true;
const body = JSON.stringify({ status: "healthy" });
const downBody = JSON.stringify({ status: "unhealthy" });

const server = createServer((req, res) => {
  requests++;
  const up = !req.url?.startsWith("/flip") || flipUp;
  res.writeHead(up ? 200 : 503, {
    "content-type": "application/json",
    "content-length": (up ? body : downBody).length,
  });
  res.end(up ? body : downBody);
});
// Longer than the client's keep-alive so pooled connections are reused, not raced closed.
server.keepAliveTimeout = 65_000;
server.maxRequestsPerSocket = 0;

const channel = parentChannel<TargetOut, TargetIn>((message) => {
  if (message.type === "set-up") {
    flipUp = message.up;
    channel.send({ type: "ack" });
  } else if (message.type === "stats") {
    const cpu = process.cpuUsage();
    channel.send({ type: "stats", requests, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
});

server.listen(0, "127.0.0.1", () => {
  channel.send({ type: "ready", port: (server.address() as AddressInfo).port });
});
