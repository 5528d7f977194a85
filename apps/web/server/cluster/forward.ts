import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { ActionAccepted, ActionRequest, ErrorBody } from "../../lib/contract.ts";
import { JobRunAccepted } from "../../lib/jobs-contract.ts";
import { errorMessage } from "../async.ts";
import { readBody } from "../http/read-body.ts";
import { ActionState, CancelAccepted } from "../rest/actions.ts";
import type { OwnerRouting } from "../rest/deps.ts";
import { HttpError } from "../rest/errors.ts";
import { type ClusterView, ownerOfAction } from "./owner.ts";
import type { PeerAuth } from "./peer-auth.ts";

/*
 * An action (or a job's "Run now") clicked on one instance runs on the instance that owns its
 * services. The receiving instance has already authenticated the user, checked the CSRF token and
 * role, and audits the request under the user's name; it forwards the validated request, signed
 * (peer-auth.ts), with the acting user's name for the action's `requested_by`. Progress comes
 * back to its browsers through the Socket.IO adapter like any other instance's action.
 */

export const FORWARD_PATH = "/internal/cluster/forward";
const MAX_BODY = 64 * 1024;
const FORWARD_TIMEOUT_MS = 10_000;

/** What can be forwarded: each names the services it acts on, so the owner can be found. */
const Op = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("action"), request: ActionRequest, alone: z.boolean().optional() }),
  z.object({ kind: z.literal("job.run"), job: z.string().min(1) }),
  z.object({ kind: z.literal("action.cancel"), actionId: z.string().min(1), targets: z.array(z.string()) }),
  z.object({ kind: z.literal("action.state"), actionId: z.string().min(1), targets: z.array(z.string()) }),
]);
type Op = z.infer<typeof Op>;
const targetsOf = (op: Op): readonly string[] =>
  op.kind === "action" ? op.request.targets : op.kind === "job.run" ? [op.job] : op.targets;
/** The log line of a forwarded op; none for `action.state`, which a waiting instance asks often. */
const opText = (op: Op): string | undefined =>
  op.kind === "action"
    ? `${op.request.kind} ${op.request.targets.join(", ") || "(all)"}${op.alone ? " (alone)" : ""}`
    : op.kind === "job.run"
      ? `run job ${op.job}`
      : op.kind === "action.cancel"
        ? `cancel action ${op.actionId}`
        : undefined;

const Forwarded = z.object({
  /** The member id it is meant for: another instance (or this one restarted) refuses it. */
  to: z.string().min(1),
  from: z.string().min(1),
  requestedBy: z.string().min(1).max(200),
  op: Op,
});
type Forwarded = z.infer<typeof Forwarded>;

/** The owner's side of each op: runs it on this instance's engine. */
export interface LocalOps {
  action(request: ActionRequest, requestedBy: string, opts?: { alone?: boolean }): ActionAccepted;
  jobRun(job: string, requestedBy: string): JobRunAccepted;
  cancel(actionId: string): CancelAccepted;
  state(actionId: string): ActionState;
}

export interface ForwardingSelf extends ClusterView {
  readonly id: string;
  readonly nodeName: string;
}

/** The sending side: forwards when another member owns the services. */
export function ownerRouting(opts: {
  self: ForwardingSelf;
  auth: PeerAuth;
  timeoutMs?: number;
}): OwnerRouting {
  const forward = async <T>(
    op: Op,
    requestedBy: string,
    answer: z.core.$ZodType<T>,
  ): Promise<T | undefined> => {
    const owner = ownerOfAction(opts.self, targetsOf(op));
    if (owner.id === opts.self.id) return undefined;
    const payload: Forwarded = { to: owner.id, from: opts.self.id, requestedBy, op };
    const body = JSON.stringify(payload);
    const where = `node ${owner.nodeName} at ${owner.url}`;
    let res: Response;
    try {
      res = await fetch(new URL(FORWARD_PATH, owner.url), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...opts.auth.headers({ method: "POST", path: FORWARD_PATH, body }),
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? FORWARD_TIMEOUT_MS),
      });
    } catch (err) {
      throw new HttpError(
        "unavailable",
        `the instance that runs this (${where}) did not answer (${errorMessage(err)}); if it is gone another takes over within 10 s — try again then`,
      );
    }
    const json: unknown = await res.json().catch(() => null);
    if (res.status === 202) {
      const accepted = z.safeParse(answer, json);
      if (accepted.success) return accepted.data;
    }
    const error = ErrorBody.safeParse(json);
    // The owner's own refusals (a conflict, an unknown service) reach the user as they are.
    if (error.success && res.status < 500 && res.status !== 401)
      throw new HttpError(error.data.error.code, error.data.error.message, error.data.error.field);
    // A refused signature between members means they do not share one key.
    const hint = res.status === 401 ? " (do all instances have the same VIGIL_SECRET, or none?)" : "";
    throw new HttpError(
      "unavailable",
      `the instance that runs this (${where}) refused it: HTTP ${res.status}${error.success ? ` ${error.data.error.message}` : ""}${hint}`,
    );
  };
  return {
    action: (request, requestedBy, o) =>
      forward({ kind: "action", request, ...(o?.alone ? { alone: true } : {}) }, requestedBy, ActionAccepted),
    jobRun: (job, requestedBy) => forward({ kind: "job.run", job }, requestedBy, JobRunAccepted),
    cancel: (actionId, targets, requestedBy) =>
      forward({ kind: "action.cancel", actionId, targets: [...targets] }, requestedBy, CancelAccepted),
    state: (actionId, targets, requestedBy) =>
      forward({ kind: "action.state", actionId, targets: [...targets] }, requestedBy, ActionState),
  };
}

function runOp(
  run: LocalOps,
  op: Op,
  requestedBy: string,
): ActionAccepted | JobRunAccepted | CancelAccepted | ActionState {
  switch (op.kind) {
    case "action":
      return run.action(op.request, requestedBy, op.alone ? { alone: true } : {});
    case "job.run":
      return run.jobRun(op.job, requestedBy);
    case "action.cancel":
      return run.cancel(op.actionId);
    case "action.state":
      return run.state(op.actionId);
  }
}

/**
 * The owning side: `POST /internal/cluster/forward`, answered before the REST router (there is
 * no session: the signature is the credential). Runs it here if this instance still owns the
 * services, so two instances never act on one service at once.
 */
export function forwardEndpoint(deps: {
  self: ForwardingSelf;
  auth: PeerAuth;
  run: LocalOps;
  log: (line: string) => void;
}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== FORWARD_PATH) return false;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(JSON.stringify(body));
      return true;
    };
    const refuse = (status: number, code: ErrorBody["error"]["code"], message: string) =>
      reply(status, { error: { code, message } });
    if (req.method !== "POST") {
      req.resume();
      return refuse(405, "bad_request", "use POST with a signed body");
    }
    let body: string;
    try {
      body = await readBody(req, { maxBytes: MAX_BODY, timeoutMs: FORWARD_TIMEOUT_MS });
    } catch (err) {
      return refuse(400, "bad_request", errorMessage(err));
    }
    const verdict = deps.auth.verify({ method: "POST", path: FORWARD_PATH, body }, req.headers);
    if (!verdict.ok) {
      deps.log(`cluster: forwarded request refused (${verdict.reason}) from ${req.socket.remoteAddress}`);
      // One message for every refusal: the caller learns nothing about which part was wrong.
      return refuse(401, "unauthorized", "peer request refused");
    }
    let forwarded: Forwarded;
    try {
      forwarded = Forwarded.parse(JSON.parse(body));
    } catch (err) {
      return refuse(400, "bad_request", `forwarded request: ${errorMessage(err)}`);
    }
    if (forwarded.to !== deps.self.id) {
      deps.log(`cluster: forwarded request refused (meant for member ${forwarded.to})`);
      return refuse(401, "unauthorized", "peer request refused");
    }
    const { op, requestedBy } = forwarded;
    try {
      const owner = ownerOfAction(deps.self, targetsOf(op));
      if (owner.id !== deps.self.id)
        throw new HttpError(
          "conflict",
          `node ${deps.self.nodeName} no longer runs this (node ${owner.nodeName} does now); try again`,
        );
      const accepted = runOp(deps.run, op, requestedBy);
      const id = "runId" in accepted ? `run ${accepted.runId}` : `action ${accepted.actionId}`;
      const text = opText(op);
      if (text !== undefined)
        deps.log(`cluster: ${text} for ${requestedBy}, forwarded by member ${forwarded.from}: ${id}`);
      return reply(202, accepted);
    } catch (err) {
      if (err instanceof HttpError) return reply(err.status, err.body());
      return refuse(500, "internal", errorMessage(err));
    }
  };
}
