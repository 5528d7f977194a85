import { SECRET_NAME } from "./secret-shapes.ts";

// Defined with the value shapes it works beside; re-exported for existing importers.
export { SECRET_NAME };

export type Environ = Record<string, string | undefined>;

export interface Substitution {
  value: string;
  /** Values that came from variables with secret-looking names, for the redactor. */
  secrets: string[];
  /** True when at least one `${...}` expression was expanded. */
  expanded: boolean;
}

export class SubstitutionError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and the `$$` escape in one left-to-right
 * pass over a parsed scalar. Expanded text is never scanned again, so a value that itself
 * contains `${X}` stays literal (no recursive substitution, no injection through variables).
 * A `$` followed by anything else is kept as is.
 */
export function substitute(text: string, environ: Environ): Substitution {
  let value = "";
  const secrets: string[] = [];
  let expanded = false;
  let at = 0;
  while (at < text.length) {
    const dollar = text.indexOf("$", at);
    if (dollar < 0) {
      value += text.slice(at);
      break;
    }
    value += text.slice(at, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      value += "$";
      at = dollar + 2;
      continue;
    }
    if (next !== "{") {
      value += "$";
      at = dollar + 1;
      continue;
    }
    const close = text.indexOf("}", dollar + 2);
    if (close < 0) throw new SubstitutionError(`unterminated "\${" (write "$$" for a literal "$")`);
    const expansion = expand(text.slice(dollar + 2, close), environ);
    value += expansion;
    expanded = true;
    const name = variableName(text.slice(dollar + 2, close));
    if (SECRET_NAME.test(name) && expansion !== "") secrets.push(expansion);
    at = close + 1;
  }
  return { value, secrets, expanded };
}

function variableName(body: string): string {
  const operator = /:[-?]/.exec(body);
  return operator === null ? body : body.slice(0, operator.index);
}

function expand(body: string, environ: Environ): string {
  const name = variableName(body);
  if (!NAME.test(name)) throw new SubstitutionError(`invalid variable reference "\${${body}}"`);
  const operator = body.slice(name.length, name.length + 2);
  const argument = body.slice(name.length + 2);
  const current = environ[name];
  const isSet = current !== undefined && current !== "";
  if (operator === ":-") return isSet ? current : argument;
  if (operator === ":?") {
    if (isSet) return current;
    throw new SubstitutionError(
      argument === "" ? `variable ${name} is required` : `variable ${name} is required: ${argument}`,
    );
  }
  if (current === undefined) {
    throw new SubstitutionError(`variable ${name} is not set (use \${${name}:-default} to make it optional)`);
  }
  return current;
}
