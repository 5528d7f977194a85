import { z } from "zod";
import type { PathSegment } from "./errors.ts";
import { isPlainMap } from "./merge.ts";

/**
 * Walks the zod schema along a path of the raw value to find the object schemas that apply there,
 * so "unknown key" errors can suggest the keys that object really accepts. Unions are narrowed by
 * the value's `kind` when it has one, which is how services and checks pick their shape.
 */
export function allowedKeysAt(schema: z.ZodType, root: unknown, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  for (const candidate of objectsAt(schema, root, path, true)) {
    if (candidate instanceof z.ZodObject) for (const key of Object.keys(candidate.shape)) keys.add(key);
  }
  return [...keys].sort();
}

/**
 * The `kind`s of the other shapes at `path` that do accept `key`: `node` on a docker service is
 * then "only for process services" rather than an unknown key.
 */
export function kindsAccepting(
  schema: z.ZodType,
  root: unknown,
  path: readonly PathSegment[],
  key: string,
): string[] {
  const kinds = new Set<string>();
  for (const candidate of objectsAt(schema, root, path, false)) {
    if (!(candidate instanceof z.ZodObject) || !(key in candidate.shape)) continue;
    const literal = candidate.shape.kind;
    if (literal instanceof z.ZodLiteral) for (const kind of literal.values) kinds.add(String(kind));
  }
  return [...kinds].sort();
}

/** The object schemas at `path`; the last step narrowed by the value's `kind` only if `narrowLast`. */
function objectsAt(
  schema: z.ZodType,
  root: unknown,
  path: readonly PathSegment[],
  narrowLast: boolean,
): z.ZodType[] {
  let candidates = objectsFor(schema, root);
  let value = root;
  path.forEach((segment, i) => {
    value =
      isPlainMap(value) || Array.isArray(value)
        ? (value as Record<PathSegment, unknown>)[segment]
        : undefined;
    const narrowBy = narrowLast || i < path.length - 1 ? value : undefined;
    candidates = candidates.flatMap((candidate) =>
      childSchemas(candidate, segment).flatMap((child) => objectsFor(child, narrowBy)),
    );
  });
  return candidates;
}

/** Strips wrappers and expands unions; keeps containers and leaves. */
function unwrapAll(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 32) return [];
  const again = (inner: z.ZodType) => unwrapAll(inner, depth + 1);
  if (schema instanceof z.ZodLazy) return again(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional) {
    return again(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) return again(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(again);
  return [schema];
}

/** Object-ish schemas that could describe `value`, narrowed by its `kind` when it has one. */
function objectsFor(schema: z.ZodType, value: unknown): z.ZodType[] {
  const options = unwrapAll(schema).filter(
    (s) => s instanceof z.ZodObject || s instanceof z.ZodRecord || s instanceof z.ZodArray,
  );
  const kind = isPlainMap(value) ? value.kind : undefined;
  if (typeof kind !== "string") return options;
  const matching = options.filter((option) => {
    const literal = option instanceof z.ZodObject ? option.shape.kind : undefined;
    return !(literal instanceof z.ZodLiteral) || literal.values.has(kind);
  });
  return matching.length > 0 ? matching : options;
}

function childSchemas(schema: z.ZodType, segment: PathSegment): z.ZodType[] {
  if (schema instanceof z.ZodObject && typeof segment === "string") {
    const child = schema.shape[segment];
    return child === undefined ? [] : [child as z.ZodType];
  }
  if (schema instanceof z.ZodRecord && typeof segment === "string") return [schema.valueType as z.ZodType];
  if (schema instanceof z.ZodArray && typeof segment === "number") return [schema.element as z.ZodType];
  return [];
}
