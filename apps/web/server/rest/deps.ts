import type { Config } from "@vigil/orchestrator";
import type { ActionAccepted, ActionRequest } from "../../lib/contract.ts";
import type { JobRunAccepted } from "../../lib/jobs-contract.ts";
import type { LiveState } from "../live/state.ts";
import type { ActionState } from "./actions.ts";

/** What REST handlers reach: the live board (engine + store + trackers) and config redaction. */
export interface RestDeps {
  live: LiveState;
  /** The running config with secrets masked, as loadConfig's redactor returns it. */
  redactedConfig(): Config;
  /** Cluster mode: hands actions and job runs to the instance that owns their services. */
  routing?: OwnerRouting;
}

/** Each answers the owner's reply once forwarded there; undefined = this instance owns it, run it here. */
export interface OwnerRouting {
  /** `alone`: on exactly the targets, asked by another instance's plan (runAction). */
  action(
    req: ActionRequest,
    requestedBy: string,
    opts?: { alone?: boolean },
  ): Promise<ActionAccepted | undefined>;
  /** Where the owner's action `actionId` on `targets` stands (it decides the owner, as for cancel). */
  state(actionId: string, targets: readonly string[], requestedBy: string): Promise<ActionState | undefined>;
  jobRun(job: string, requestedBy: string): Promise<JobRunAccepted | undefined>;
  /** `targets`: the running action's, which decide its owner. */
  cancel(
    actionId: string,
    targets: readonly string[],
    requestedBy: string,
  ): Promise<{ actionId: string; cancelled: boolean } | undefined>;
}
