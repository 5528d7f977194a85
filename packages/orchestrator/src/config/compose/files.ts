import { resolve } from "node:path";
import type { ConfigIssue, PathSegment } from "../errors.ts";
import type { Environ } from "../substitute.ts";
import { isMap, type RawMap } from "./raw.ts";

/*
 * A service's `secrets:` and `configs:` (short form `- name`, long form `{source, target, uid,
 * gid, mode}`) joined with the top-level definitions they name (`file:`, `environment:`, and for
 * configs `content:`), as compose mounts them without a swarm: a file is bind-mounted read-only,
 * a value is copied into the container. Secrets land in /run/secrets/<name> unless a target says
 * otherwise; configs at /<name>.
 */

export interface FileMountContext {
  kind: "secrets" | "configs";
  /** The project's top-level `secrets:` or `configs:`. */
  definitions: RawMap;
  environ: Environ;
  /** Relative `file:` paths are relative to the project directory (the first file's). */
  projectDir: string;
  where: (...path: PathSegment[]) => Omit<ConfigIssue, "message">;
  warn: (issue: ConfigIssue) => void;
  fail: (issue: ConfigIssue) => void;
}

const singular = { secrets: "secret", configs: "config" } as const;

export function translateFileMounts(value: unknown, ctx: FileMountContext): RawMap[] {
  if (!Array.isArray(value)) return [];
  const what = singular[ctx.kind];
  return value.flatMap((entry, i): RawMap[] => {
    const long = isMap(entry) ? entry : undefined;
    const source = long ? long.source : entry;
    if (typeof source !== "string") {
      ctx.fail({ ...ctx.where(ctx.kind, i), message: `a ${what} is a name or {source, target}` });
      return [];
    }
    const definition = ctx.definitions[source];
    if (!isMap(definition)) {
      ctx.fail({
        ...ctx.where(ctx.kind, i),
        message: `${what} "${source}" is not defined in the top-level ${ctx.kind}:`,
      });
      return [];
    }
    if (definition.external !== undefined && definition.external !== false) {
      ctx.warn({
        ...ctx.where(ctx.kind, i),
        message: `${what} "${source}" is external (a swarm ${what}): Vigil runs without a swarm; not mounted`,
      });
      return [];
    }
    const origin = originOf(definition, source, what, ctx, i);
    if (origin === undefined) return [];
    const owner = ownerOf(long);
    if ("file" in origin && Object.keys(owner).length > 0) {
      ctx.warn({
        ...ctx.where(ctx.kind, i),
        message: `uid, gid and mode of a file-based ${what} are not applied (compose binds the file as it is); ignored`,
      });
    }
    return [
      {
        name: source,
        target: targetOf(ctx.kind, source, long?.target),
        ...origin,
        ...("content" in origin ? owner : {}),
      },
    ];
  });
}

function originOf(
  definition: RawMap,
  source: string,
  what: string,
  ctx: FileMountContext,
  i: number,
): { file: string } | { content: string } | undefined {
  if (typeof definition.file === "string") return { file: resolve(ctx.projectDir, definition.file) };
  if (typeof definition.environment === "string") {
    const content = ctx.environ[definition.environment];
    if (content === undefined) {
      ctx.fail({
        ...ctx.where(ctx.kind, i),
        message: `${what} "${source}" comes from environment variable ${definition.environment}, which is not set`,
      });
      return undefined;
    }
    return { content };
  }
  if (ctx.kind === "configs" && typeof definition.content === "string")
    return { content: definition.content };
  ctx.fail({
    ...ctx.where(ctx.kind, i),
    message: `${what} "${source}" has no file:, environment:${ctx.kind === "configs" ? " or content:" : ""} to take it from`,
  });
  return undefined;
}

/** Compose writes `mode: 0440` meaning octal; a quoted "0440" is read as octal too. */
function ownerOf(long: RawMap | undefined): RawMap {
  if (!long) return {};
  const mode = typeof long.mode === "string" ? Number.parseInt(long.mode, 8) : long.mode;
  return {
    ...(long.uid === undefined ? {} : { uid: long.uid }),
    ...(long.gid === undefined ? {} : { gid: long.gid }),
    ...(mode === undefined ? {} : { mode }),
  };
}

function targetOf(kind: "secrets" | "configs", source: string, target: unknown): string {
  const name = typeof target === "string" ? target : source;
  if (name.startsWith("/")) return name;
  return kind === "secrets" ? `/run/secrets/${name}` : `/${name}`;
}
