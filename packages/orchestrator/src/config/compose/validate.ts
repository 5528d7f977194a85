import { Ajv2019, type ErrorObject } from "ajv/dist/2019.js";
import type { ConfigIssue, PathSegment } from "../errors.ts";
import { formatPath } from "../errors.ts";
import { pathKey, type SourceLayer } from "../yaml-source.ts";
import { withLaterSpec } from "./spec/additions.ts";
import spec from "./spec/compose-spec.json" with { type: "json" };

/*
 * Every compose file is checked against the published Compose Specification schema (vendored in
 * ./spec with its licence) before Vigil reads it: what the spec refuses is an error with
 * file:line:col and the key path; what the spec allows but Vigil cannot do is a warning elsewhere.
 */

// `id` is the schema's draft-04 spelling of `$id`, kept as published: an annotation here.
// Formats (duration, ports…) are left to Vigil's own field parsing, which names the fix.
const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
ajv.removeKeyword("id");
const validateSpec = ajv.compile(withLaterSpec(spec as Record<string, unknown>));

const segmentsOf = (pointer: string): PathSegment[] =>
  pointer === ""
    ? []
    : pointer
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `"${String(params.additionalProperty)}" is not a compose key here`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "required":
      return `"${String(params.missingProperty)}" is required`;
    case "oneOf":
    case "anyOf":
      return "matches none of the forms the compose spec allows";
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * The problems of one parsed compose file, positioned through its source layer. A failed `oneOf`
 * reports every branch; a branch that got deeper (a misspelt key inside the mapping form) says
 * more than "must be string" from the others, so a path with only type and oneOf errors gives way
 * to a deeper one, and the type errors left at one path are joined ("must be string or array").
 */
export function composeSpecIssues(value: unknown, layer: SourceLayer): ConfigIssue[] {
  if (validateSpec(value)) return [];
  const groups = new Map<string, ErrorObject[]>();
  for (const error of validateSpec.errors ?? []) {
    const path = segmentsOf(error.instancePath);
    if (error.keyword === "additionalProperties")
      path.push(String((error.params as Record<string, unknown>).additionalProperty));
    const key = pathKey(path);
    groups.set(key, [...(groups.get(key) ?? []), error]);
  }
  const vague = (errors: ErrorObject[]) => errors.every((e) => SHAPE_KEYWORDS.has(e.keyword));
  const keys = [...groups.keys()];
  return keys
    .filter((key) => {
      const errors = groups.get(key) ?? [];
      return !(vague(errors) && keys.some((other) => other !== key && other.startsWith(key.slice(0, -1))));
    })
    .map((key) => {
      const path = JSON.parse(key) as PathSegment[];
      return {
        file: layer.file,
        ...positionOf(layer, path),
        path: formatPath(path),
        message: summary(groups.get(key) ?? []),
      };
    });
}

const SHAPE_KEYWORDS = new Set(["type", "oneOf", "anyOf"]);

function summary(errors: ErrorObject[]): string {
  const types = errors
    .filter((e) => e.keyword === "type")
    .map((e) => String((e.params as { type: unknown }).type));
  const other = errors.find((e) => !SHAPE_KEYWORDS.has(e.keyword));
  if (other) return messageOf(other);
  if (types.length > 0) return `must be ${[...new Set(types.flatMap((t) => t.split(",")))].join(" or ")}`;
  return messageOf(errors[0] ?? ({ keyword: "oneOf" } as ErrorObject));
}

/** The key of the path when written, else its value, else the nearest written parent. */
function positionOf(layer: SourceLayer, path: PathSegment[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const key = pathKey(path.slice(0, n));
    const pos = layer.keys.get(key) ?? layer.values.get(key);
    if (pos) return pos;
  }
  return { line: 0, col: 0 };
}
