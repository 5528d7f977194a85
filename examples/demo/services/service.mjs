// One generic demo service: everything it does comes from its environment (see
// examples/lib/health-server.mjs), so the demo needs nothing but Node.
import { runService } from "../../lib/health-server.mjs";

await runService();
