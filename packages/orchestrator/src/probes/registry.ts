import { z } from "zod";
import { amqp } from "./amqp.ts";
import { command } from "./command.ts";
import { composite } from "./composite.ts";
import { dns } from "./dns.ts";
import { docker } from "./docker.ts";
import { grpc } from "./grpc.ts";
import { http } from "./http.ts";
import { icmp } from "./icmp.ts";
import { mqtt } from "./mqtt.ts";
import { mysql } from "./mysql.ts";
import { nats } from "./nats.ts";
import { postgres } from "./postgres.ts";
import { push } from "./push.ts";
import { redis } from "./redis.ts";
import { smtp } from "./smtp.ts";
import { staged } from "./staged.ts";
import { tcp } from "./tcp.ts";
import { tls } from "./tls.ts";
import type { CheckKindDef, Probe, ValueInfo } from "./types.ts";
import { websocket } from "./websocket.ts";

/**
 * kind → { schema, probe, values }: the one list of check kinds. The config union (CheckSchema),
 * the spec type (CheckSpec), the kind list (CHECK_KINDS) and the probe lookup are all derived from
 * it, so adding a kind = one file `probes/<kind>.ts` + one line here + its test.
 * Order is the order kinds are listed in error messages and the JSON Schema.
 */
export const CHECK_KIND_DEFS = {
  http,
  tcp,
  command,
  docker,
  postgres,
  redis,
  nats,
  mysql,
  amqp,
  mqtt,
  websocket,
  smtp,
  icmp,
  tls,
  dns,
  grpc,
  push,
  composite,
  staged,
} as const;

type Defs = typeof CHECK_KIND_DEFS;
export type CheckKind = keyof Defs;
/** The parsed spec of each kind, by kind. */
type SpecOfDef<D> = D extends CheckKindDef<infer S> ? S : never;
export type CheckSpecOf<K extends CheckKind> = SpecOfDef<Defs[K]>;
export type CheckSpec = { [K in CheckKind]: CheckSpecOf<K> }[CheckKind];

export const CHECK_KINDS = Object.keys(CHECK_KIND_DEFS) as readonly CheckKind[];

/** Any check, as written in vigil.yaml. Lazy because composite and staged contain checks. */
export const CheckSchema: z.ZodType<CheckSpec, unknown> = z.lazy(() =>
  z.union(Object.values(CHECK_KIND_DEFS).map((def) => def.schema) as [z.ZodType, ...z.ZodType[]]),
) as z.ZodType<CheckSpec, unknown>;

export function probeFor<K extends CheckKind>(kind: K): Probe<CheckSpecOf<K>> {
  const def = CHECK_KIND_DEFS[kind] as unknown as CheckKindDef<CheckSpecOf<K>> | undefined;
  if (!def) throw new Error(`unknown check kind "${kind}"`);
  return def.probe;
}

/** The values a kind's results may carry (empty when it reports none). */
export function valuesOf(kind: string): Readonly<Record<string, ValueInfo>> {
  const def: { values?: Readonly<Record<string, ValueInfo>> } | undefined =
    CHECK_KIND_DEFS[kind as CheckKind];
  return def?.values ?? {};
}
