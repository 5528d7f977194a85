import type { CheckKind, CheckSpec } from "../config/schema.ts";
import { commandProbe } from "./command.ts";
import { compositeProbe } from "./composite.ts";
import { dockerProbe } from "./docker.ts";
import { httpProbe } from "./http.ts";
import { natsProbe } from "./nats.ts";
import { postgresProbe } from "./postgres.ts";
import { redisProbe } from "./redis.ts";
import { stagedProbe } from "./staged.ts";
import { tcpProbe } from "./tcp.ts";
import type { Probe } from "./types.ts";

type ProbeRegistry = { [K in CheckKind]: Probe<Extract<CheckSpec, { kind: K }>> };

/** kind → probe. Adding a kind = one file + one line here (the type forces the line). */
export const PROBES: Readonly<ProbeRegistry> = Object.freeze({
  http: httpProbe,
  tcp: tcpProbe,
  command: commandProbe,
  docker: dockerProbe,
  postgres: postgresProbe,
  redis: redisProbe,
  nats: natsProbe,
  composite: compositeProbe,
  staged: stagedProbe,
});

export function probeFor<K extends CheckKind>(kind: K): Probe<Extract<CheckSpec, { kind: K }>> {
  const probe = PROBES[kind];
  if (!probe) throw new Error(`unknown check kind "${kind}"`);
  return probe as Probe<Extract<CheckSpec, { kind: K }>>;
}
