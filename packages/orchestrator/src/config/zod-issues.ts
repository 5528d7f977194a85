import type { z } from "zod";
import { didYouMean } from "./did-you-mean.ts";
import type { PathSegment } from "./errors.ts";
import { isPlainMap } from "./merge.ts";
import { allowedKeysAt, kindsAccepting } from "./schema-keys.ts";

/** A validation problem in user terms, before it gets a file position. */
export interface SchemaProblem {
  path: PathSegment[];
  message: string;
  /** Point at the key node (unknown keys) rather than the value node. */
  atKey: boolean;
}

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into messages a user can act on. zod reports a union failure as the failures of
 * every option; here the option the user meant is chosen (by `kind`, or by the value's type) and
 * only its problems are shown, or the kind itself is reported as unknown with the allowed kinds.
 */
export function explainIssues(schema: z.ZodType, root: unknown, issues: readonly Issue[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const explain = (issue: Issue, base: PathSegment[]): void => {
    const path = [...base, ...(issue.path as PathSegment[])];
    const value = valueAt(root, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeysAt(schema, root, path);
        const kind = valueAt(value, ["kind"]);
        for (const key of issue.keys) {
          const elsewhere = typeof kind === "string" ? kindsAccepting(schema, root, path, key) : [];
          problems.push({
            path: [...path, key],
            atKey: true,
            message:
              elsewhere.length > 0
                ? `"${key}" applies only to ${KINDS_LIST.format(elsewhere)} ${ownerOf(path)}s, not to ${/^[aeiou]/.test(String(kind)) ? "an" : "a"} ${kind} ${ownerOf(path)}`
                : `unknown key "${key}"${didYouMean(key, allowed)}`,
          });
        }
        return;
      }
      case "invalid_union": {
        if ("discriminator" in issue && issue.discriminator !== undefined) {
          // zod adds the accepted discriminator values at run time without typing them.
          const options: unknown = "options" in issue ? issue.options : [];
          problems.push(unknownKind(path, value, Array.isArray(options) ? options.map(String) : []));
          return;
        }
        const chosen = chooseOption(issue.errors, value);
        if (chosen.kind === "option") for (const inner of chosen.issues) explain(inner, path);
        else
          problems.push(
            chosen.kind === "unknown-kind"
              ? unknownKind([...path, "kind"], valueAt(value, ["kind"]), chosen.kinds)
              : { path, atKey: false, message: chosen.message },
          );
        return;
      }
      case "invalid_type": {
        const expected = typeLabel(issue.expected);
        const message =
          value === undefined
            ? `required (expected ${expected})`
            : `expected ${expected}, got ${typeName(value)}`;
        problems.push({ path, atKey: false, message });
        return;
      }
      case "invalid_value": {
        const allowed = issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
        const shown =
          typeof value === "string" ? `"${value}"${didYouMean(value, allowed)}` : JSON.stringify(value);
        const expected = allowed.length > 1 ? `one of: ${allowed.join(", ")}` : allowed.join("");
        problems.push({ path, atKey: false, message: `invalid value ${shown}; expected ${expected}` });
        return;
      }
      default:
        problems.push({ path, atKey: false, message: issue.message.replace(/^Invalid input: /, "") });
    }
  };
  for (const issue of issues) explain(issue, []);
  return problems;
}

type Choice =
  | { kind: "option"; issues: Issue[] }
  | { kind: "unknown-kind"; kinds: string[] }
  | { kind: "mismatch"; message: string };

function chooseOption(options: Issue[][], value: unknown): Choice {
  const kindMismatch = (list: Issue[]) =>
    list.some((i) => i.code === "invalid_value" && i.path.length === 1 && i.path[0] === "kind");
  const typeMismatch = (list: Issue[]) =>
    list.length === 1 && list[0]?.code === "invalid_type" && list[0].path.length === 0;

  const kinds = options.flatMap((list) =>
    list.flatMap((i) => (i.code === "invalid_value" && i.path[0] === "kind" ? i.values.map(String) : [])),
  );
  if (isPlainMap(value) && kinds.length > 0) {
    const meant = options.find((list) => !kindMismatch(list));
    return meant === undefined ? { kind: "unknown-kind", kinds } : { kind: "option", issues: meant };
  }
  const sameType = options.filter((list) => !typeMismatch(list));
  if (sameType[0] !== undefined) return { kind: "option", issues: sameType[0] };
  const expected = options.flatMap((list) => (list[0]?.code === "invalid_type" ? [list[0].expected] : []));
  const what = [...new Set(expected.map(typeLabel))].join(" or ");
  return {
    kind: "mismatch",
    message: value === undefined ? `required (expected ${what})` : `expected ${what}, got ${typeName(value)}`,
  };
}

/** "docker and job", "amqp, http, and redis". */
const KINDS_LIST = new Intl.ListFormat("en", { type: "conjunction" });

/** What a `kind` at `path` is the kind of, in the user's words. */
const ownerOf = (path: readonly PathSegment[]): string =>
  path[0] === "alerting"
    ? "channel"
    : path.includes("checks") || path.includes("check")
      ? "check"
      : "service";

function unknownKind(path: PathSegment[], kind: unknown, kinds: string[]): SchemaProblem {
  const owner = ownerOf(path);
  const allowed = `allowed kinds: ${kinds.join(", ")}`;
  if (kind === undefined) return { path, atKey: false, message: `missing ${owner} kind (${allowed})` };
  if (typeof kind !== "string") return { path, atKey: false, message: `invalid ${owner} kind (${allowed})` };
  return {
    path,
    atKey: false,
    message: `unknown ${owner} kind "${kind}"${didYouMean(kind, kinds)}; ${allowed}`,
  };
}

export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (isPlainMap(value)) value = value[String(segment)];
    else if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else return undefined;
  }
  return value;
}

/** zod's type names in YAML words. */
const typeLabel = (expected: string): string =>
  expected === "record" || expected === "object" ? "map" : expected;

const typeName = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "object" ? "map" : typeof value;
