import { z } from "zod";
import { EXIT } from "../exit.ts";
import type { CliIo } from "../io.ts";
import type { Palette } from "../ui/color.ts";
import { api, type RemoteServer } from "./client.ts";
import { RemoteAccepted, RemoteAction } from "./wire.ts";

/*
 * An action through the server: POST /api/actions, then follow it by polling GET
 * /api/actions/:id until it ends. Polling (not Socket.IO) because the action view already
 * carries every step, it needs nothing but the bearer token (no socket handshake, no extra
 * dependency), passes any HTTP proxy, and costs one small GET per interval only while an action
 * runs. Ctrl-C asks the server to cancel and keeps following until the cancel has landed.
 */

export interface ActionRequest {
  kind: "start" | "stop" | "restart" | "rollback";
  targets: string[];
  withDependents?: boolean;
}

const POLL_MS = 250;
/** The longest an action is followed; the server keeps running it if the CLI gives up. */
const FOLLOW_LIMIT_MS = 60 * 60_000;

export async function runRemoteAction(
  io: CliIo,
  palette: Palette,
  server: RemoteServer,
  req: ActionRequest,
): Promise<number> {
  const accepted = await api(server, "POST", "/api/actions", RemoteAccepted, {
    body: { ...req, withDependents: req.withDependents ?? false },
    signal: io.signal,
  });
  const id = accepted.actionId;
  const waves = accepted.plan.waves.map((w, i) => `wave ${i + 1}: ${w.join(", ")}`).join("; ");
  io.stdout.write(
    `${req.kind} through ${server.url} — action ${id}${accepted.deduplicated ? " (already running)" : ""}\n` +
      `  ${palette.dim(waves || "nothing to do")}\n`,
  );
  const cancel = () =>
    void api(server, "POST", `/api/actions/${encodeURIComponent(id)}/cancel`, z.unknown()).catch(
      () => undefined,
    );
  io.signal?.addEventListener("abort", cancel, { once: true });
  try {
    let shown = 0;
    const deadline = Date.now() + FOLLOW_LIMIT_MS;
    while (Date.now() < deadline) {
      const view = await api(server, "GET", `/api/actions/${encodeURIComponent(id)}`, RemoteAction);
      for (const step of view.steps.slice(shown)) {
        const mark =
          step.state === "failed" ? palette.red("✗") : step.state === "succeeded" ? palette.green("✓") : "·";
        io.stdout.write(
          `  ${mark} ${step.service} ${step.state}${step.message ? palette.dim(` — ${step.message}`) : ""}\n`,
        );
      }
      shown = view.steps.length;
      if (view.result !== "running") return finish(io, palette, view);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    io.stderr.write(
      `still running after ${FOLLOW_LIMIT_MS / 60_000} min; follow it in the dashboard (action ${id})\n`,
    );
    return EXIT.failed;
  } finally {
    io.signal?.removeEventListener("abort", cancel);
  }
}

function finish(io: CliIo, palette: Palette, view: RemoteAction): number {
  const text = `${view.kind} ${view.result}${view.message ? `: ${view.message}` : ""} (by ${view.requestedBy})`;
  io.stdout.write(`${view.result === "succeeded" ? palette.green(text) : palette.red(text)}\n`);
  return view.result === "succeeded" ? EXIT.ok : EXIT.failed;
}
