/**
 * Parses a `.env` file: `KEY=value` lines, optional `export ` prefix, `#` comments, single quotes
 * (literal) and double quotes (with \n, \t, \" and \\ escapes). No substitution inside: variables
 * are expanded where the config uses them, once.
 */
export function parseDotenv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    result[key] = parseValue(rest);
  }
  return result;
}

function parseValue(rest: string): string {
  if (rest.startsWith("'")) {
    const end = rest.indexOf("'", 1);
    return end < 0 ? rest.slice(1) : rest.slice(1, end);
  }
  if (rest.startsWith('"')) {
    let value = "";
    for (let i = 1; i < rest.length; i++) {
      const char = rest[i];
      if (char === '"') break;
      if (char === "\\" && i + 1 < rest.length) {
        i++;
        const escaped = rest[i] ?? "";
        value += ({ n: "\n", t: "\t", r: "\r" } as Record<string, string>)[escaped] ?? escaped;
      } else {
        value += char;
      }
    }
    return value;
  }
  // An unquoted value ends at " #": a comment needs whitespace before it so `pa#ss` survives.
  const comment = rest.search(/\s#/);
  return (comment < 0 ? rest : rest.slice(0, comment)).trim();
}
