import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from "yaml";
import { type ConfigIssue, formatPath, type PathSegment } from "./errors.ts";
import { type Environ, type Substitution, SubstitutionError, substitute } from "./substitute.ts";

export interface Position {
  line: number;
  col: number;
}

/** Where each path of one file's value was written: the value node, and for map entries the key. */
export interface SourceLayer {
  file: string;
  values: Map<string, Position>;
  keys: Map<string, Position>;
}

export interface ParsedSource {
  value: unknown;
  layer: SourceLayer;
  issues: ConfigIssue[];
  /** Values substituted from secret-named variables. */
  secrets: string[];
}

const MAX_ALIAS_EXPANSIONS = 1000;

export const pathKey = (path: readonly PathSegment[]): string => JSON.stringify(path);

/**
 * Parses one YAML file into plain data, substituting variables in string scalars as it goes and
 * remembering the position of every node. Working on the AST (not on the text) is what keeps a
 * substituted secret with `:`, `#`, `]` or `>` from being re-read as YAML syntax.
 */
/** Expands variables in one scalar; `at` is where the scalar was written (for warnings). */
export type Substituter = (text: string, environ: Environ, at: Position) => Substitution;

export function parseYamlSource(
  text: string,
  file: string,
  environ: Environ,
  substituteScalar: Substituter = substitute,
  /** YAML 1.1 merge keys (`<<: *base`), as compose files use them. */
  mergeKeys = false,
): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const layer: SourceLayer = { file, values: new Map(), keys: new Map() };
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  const at = (offset: number | undefined): Position => lineCounter.linePos(offset ?? 0);

  for (const error of doc.errors) {
    const { line, col } = error.linePos?.[0] ?? at(error.pos[0]);
    // yaml appends "at line X, column Y:" and a source excerpt; the excerpt could show a secret.
    const message = error.message.replace(/ at line \d+, column \d+[\s\S]*$/, "");
    issues.push({ file, line, col, path: "", message });
  }
  if (issues.length > 0) return { value: undefined, layer, issues, secrets };

  let aliasesExpanded = 0;
  const visit = (node: unknown, path: PathSegment[]): unknown => {
    if (isAlias(node)) {
      // Bound: a "billion laughs" file of nested aliases must fail fast, not hang the loader.
      if (++aliasesExpanded > MAX_ALIAS_EXPANSIONS) {
        throw new Error(`more than ${MAX_ALIAS_EXPANSIONS} alias expansions (nested aliases?)`);
      }
      return visit(node.resolve(doc), path);
    }
    if (node !== null && typeof node === "object" && "range" in node) {
      const range = (node as Node).range;
      layer.values.set(pathKey(path), at(range?.[0]));
    }
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      // Merged keys lose to the map's own keys, wherever `<<` is written.
      const merged: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (mergeKeys && key === "<<") {
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const source of sources) {
            const value = visit(source, path);
            if (value !== null && typeof value === "object" && !Array.isArray(value))
              Object.assign(merged, value);
          }
          continue;
        }
        const keyRange = (pair.key as Node | null)?.range;
        if (key === undefined) {
          issues.push({
            file,
            ...at(keyRange?.[0]),
            path: formatPath(path),
            message: "keys must be plain strings",
          });
          continue;
        }
        layer.keys.set(pathKey([...path, key]), at(keyRange?.[0]));
        result[key] = visit(pair.value, [...path, key]);
      }
      return { ...merged, ...result };
    }
    if (isSeq(node)) return node.items.map((item, index) => visit(item, [...path, index]));
    if (isScalar(node)) return scalarValue(node, path);
    return null;
  };

  const scalarValue = (node: Scalar, path: PathSegment[]): unknown => {
    if (typeof node.value !== "string") return node.value;
    try {
      const result = substituteScalar(node.value, environ, at(node.range?.[0]));
      secrets.push(...result.secrets);
      return result.expanded && node.type === Scalar.PLAIN ? retype(result.value) : result.value;
    } catch (error) {
      if (!(error instanceof SubstitutionError)) throw error;
      issues.push({ file, ...at(node.range?.[0]), path: formatPath(path), message: error.message });
      return node.value;
    }
  };

  try {
    const value = visit(doc.contents, []);
    return { value, layer, issues, secrets };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { value: undefined, layer, issues: [{ file, line: 0, col: 0, path: "", message }], secrets };
  }
}

/**
 * `port: ${PORT:-8080}` should be the number 8080, as if it had been written there. Only plain
 * (unquoted) scalars are retyped, and only to canonical numbers and booleans: `"${X}"` stays a
 * string, and `0123` keeps its zero.
 */
function retype(value: string): unknown {
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(value)) return Number(value);
  if (value === "true" || value === "false") return value === "true";
  return value;
}
