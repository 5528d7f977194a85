import { type Environ, SECRET_NAME, type Substitution, SubstitutionError } from "../substitute.ts";

/**
 * Compose's interpolation, which differs from vigil.yaml's: `$VAR` without braces, `${VAR-d}` and
 * `${VAR?e}` (only when unset) beside `${VAR:-d}` and `${VAR:?e}` (unset or empty), `${VAR:+r}`
 * and `${VAR+r}`, `$$` for a literal `$`, and an unset variable is an empty string with a warning
 * (never an error) — as `docker compose` does. Defaults may themselves hold `${...}`.
 */
export function interpolate(text: string, environ: Environ, warn: (message: string) => void): Substitution {
  const secrets: string[] = [];
  let expanded = false;
  const run = (input: string, depth: number): string => {
    if (depth > 8) throw new SubstitutionError("interpolation nested more than 8 levels deep");
    let out = "";
    let at = 0;
    while (at < input.length) {
      const dollar = input.indexOf("$", at);
      if (dollar < 0) return out + input.slice(at);
      out += input.slice(at, dollar);
      const next = input[dollar + 1];
      if (next === "$") {
        out += "$";
        at = dollar + 2;
        continue;
      }
      if (next === "{") {
        const close = matchingBrace(input, dollar + 2);
        if (close < 0) throw new SubstitutionError(`unterminated "\${" (write "$$" for a literal "$")`);
        out += expandBraced(input.slice(dollar + 2, close), depth);
        at = close + 1;
        continue;
      }
      const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(dollar + 1));
      if (bare) {
        out += lookup(bare[0]);
        at = dollar + 1 + bare[0].length;
        continue;
      }
      out += "$";
      at = dollar + 1;
    }
    return out;
  };
  const lookup = (name: string): string => {
    expanded = true;
    const value = environ[name];
    if (value === undefined) {
      warn(`variable ${name} is not set; using an empty string`);
      return "";
    }
    if (SECRET_NAME.test(name) && value !== "") secrets.push(value);
    return value;
  };
  const expandBraced = (body: string, depth: number): string => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
    if (!match) throw new SubstitutionError(`invalid variable reference "\${${body}}"`);
    const [, name = "", operator, argument = ""] = match;
    expanded = true;
    const value = environ[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== "";
    const present = operator?.startsWith(":") ? nonEmpty : set;
    if (operator === undefined) return lookup(name);
    if (operator.endsWith("-")) return present ? lookup(name) : run(argument, depth + 1);
    if (operator.endsWith("+")) return present ? run(argument, depth + 1) : "";
    if (present) return lookup(name);
    throw new SubstitutionError(
      argument === ""
        ? `required variable ${name} is missing a value`
        : `required variable ${name}: ${argument}`,
    );
  };
  return { value: run(text, 0), secrets, expanded };
}

/** Index of the `}` closing a `${` whose body starts at `from`, nested `${...}` skipped. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}
