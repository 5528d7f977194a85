/** A segment of a path into the config: a map key or an array index. */
export type PathSegment = string | number;

/** One thing wrong with the config, pointing at the node to fix. */
export interface ConfigIssue {
  /** The file as the user would type it (relative to cwd when inside it). */
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. the file cannot be read). */
  line: number;
  col: number;
  /** Dotted field path like `services.api.depends_on[0]`; empty for whole-file problems. */
  path: string;
  message: string;
}

/** `services.api.depends_on[0]`: keys joined by dots, indices in brackets. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}

/** `Config error at vigil.yaml:14:7: services.api.depends_on[0]: unknown service "reddis"`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  const field = issue.path === "" ? "" : `${issue.path}: `;
  return `Config error at ${where}: ${field}${issue.message}`;
}

/**
 * Everything wrong with a config (up to MAX_REPORTED_ISSUES), in file order, one formatted line
 * per issue. Messages are
 * already redacted by whoever built the issues: this class never sees secret values.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The issues shown, at most MAX_REPORTED_ISSUES, in file order. */
  readonly issues: ConfigIssue[];
  /** How many more there were beyond those (a file that is wrong everywhere). */
  readonly omitted: number;

  constructor(issues: ConfigIssue[]) {
    const sorted = dedupe(issues).sort(
      (a, b) =>
        compareText(a.file, b.file) || a.line - b.line || a.col - b.col || compareText(a.path, b.path),
    );
    const shown = sorted.slice(0, MAX_REPORTED_ISSUES);
    const omitted = sorted.length - shown.length;
    const more = omitted > 0 ? [`… and ${omitted} more config problem${omitted === 1 ? "" : "s"}`] : [];
    super([...shown.map(formatIssue), ...more].join("\n"));
    this.issues = shown;
    this.omitted = omitted;
  }
}

/** Enough to fix in one pass; a wholly wrong file (wrong file passed?) does not scroll for pages. */
export const MAX_REPORTED_ISSUES = 25;

/** The same problem found twice (the schema and the dependency check) is reported once. */
function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}\u0000${i.line}\u0000${i.col}\u0000${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
