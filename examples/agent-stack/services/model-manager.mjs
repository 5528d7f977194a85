// Model manager: starts slowly on purpose. It writes its started-marker at once, listens after
// LISTEN_DELAY_MS, answers /health with 503 "starting" while STAGES run (loading the model), and
// /ready turns 200 only when the model is loaded.
import { runService } from "../../lib/health-server.mjs";

await runService({ name: "model-manager", version: process.env.SERVICE_VERSION ?? "0.9.0" });
