import type { Scenario } from "../types.ts";
import { alerts } from "./alerts.ts";
import { cluster } from "./cluster.ts";
import { dashboard } from "./dashboard.ts";
import { embedded } from "./embedded.ts";
import { ingest } from "./ingest.ts";
import { probe } from "./probe.ts";
import { push } from "./push.ts";
import { query } from "./query.ts";
import { resources } from "./resources.ts";
import { scale } from "./scale.ts";
import { start, startCompose } from "./start.ts";
import { statuspage } from "./statuspage.ts";
import { storage } from "./storage.ts";

/** Every scenario, in the order `pnpm bench` runs them. */
export const scenarios: Scenario[] = [
  probe,
  start,
  startCompose,
  ingest,
  query,
  push,
  scale,
  dashboard,
  statuspage,
  alerts,
  resources,
  storage,
  embedded,
  cluster,
];
