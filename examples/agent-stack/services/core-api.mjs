// Core API: answers once Redis, NATS and Postgres are reachable; unhealthy when any is not.
import { runService } from "../../lib/health-server.mjs";

await runService({ name: "core-api", version: process.env.SERVICE_VERSION ?? "1.4.2" });
