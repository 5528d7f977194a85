// Agent "researcher": needs the model manager (for inference) and NATS (for its task queue).
import { runService } from "../../lib/health-server.mjs";

await runService({ name: "agent-researcher", version: process.env.SERVICE_VERSION ?? "0.3.1" });
