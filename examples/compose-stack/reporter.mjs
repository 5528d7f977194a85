// Reporter: a process Vigil runs beside the compose stack (it depends on the api container).
import { runService } from "../lib/health-server.mjs";

await runService({ name: "reporter", version: "1.0.0" });
