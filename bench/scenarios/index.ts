import type { Scenario } from "../types.ts";
import { dashboard } from "./dashboard.ts";
import { ingest } from "./ingest.ts";
import { probe } from "./probe.ts";
import { push } from "./push.ts";
import { query } from "./query.ts";
import { scale } from "./scale.ts";
import { start } from "./start.ts";

/** Every scenario, in the order `pnpm bench` runs them. */
export const scenarios: Scenario[] = [probe, start, ingest, query, push, scale, dashboard];
