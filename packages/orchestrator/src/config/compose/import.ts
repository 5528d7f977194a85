import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Document, isMap as isYamlMap, type YAMLMap } from "yaml";
import { parseDotenv } from "../dotenv.ts";
import { type ComposeOptions, loadCompose } from "./index.ts";
import type { RawMap } from "./read.ts";

function readDotenv(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

/** Doubles every `$`, so vigil.yaml's own substitution leaves the value as compose resolved it. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === "string") return value.split("$").join("$$");
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  }
  return value;
}

/**
 * `vigil import docker-compose.yml`: the equivalent vigil.yaml, with a comment above each service
 * (or at the top) for whatever has no equivalent, naming the key and where it was written.
 */
export function importCompose(paths: string[], opts: ComposeOptions): string {
  // Compose reads `.env` beside the (first) file; the real environment wins over it.
  const dotenv = readDotenv(join(dirname(paths[0] ?? "."), ".env"));
  const compose = loadCompose(paths, { ...opts, environ: { ...dotenv, ...opts.environ } });
  const services: Record<string, RawMap> = {};
  for (const [name, service] of Object.entries(compose.services)) {
    const escaped = escapeDollars(service) as RawMap;
    // A secret from the environment stays a reference: the printed file must not hold its value.
    if (Array.isArray(escaped.secret_mounts))
      escaped.secret_mounts = escaped.secret_mounts.map((mount: RawMap) => {
        const variable = compose.secretVariables[String(mount.name)];
        return variable === undefined || mount.content === undefined
          ? mount
          : { ...mount, content: `\${${variable}}` };
      });
    services[name] = escaped;
  }
  const doc = new Document({ version: 1, project: compose.project, services });
  const header = [`Imported from ${paths.map(opts.display).join(", ")} by \`vigil import\`.`];
  const perService = new Map<string, string[]>();
  for (const w of compose.warnings) {
    const line = `not imported: ${w.path || "(file)"}: ${w.message} (${w.file}:${w.line}:${w.col})`;
    const service = /^services\.([^.]+)/.exec(w.path)?.[1];
    if (service && service in services) perService.set(service, [...(perService.get(service) ?? []), line]);
    else header.push(line);
  }
  doc.commentBefore = header.map((l) => ` ${l}`).join("\n");
  const servicesNode = doc.get("services", true);
  if (isYamlMap(servicesNode)) {
    for (const pair of (servicesNode as YAMLMap).items) {
      const name = String((pair.key as { value?: unknown }).value ?? pair.key);
      const lines = perService.get(name);
      if (lines && typeof pair.key === "object" && pair.key !== null) {
        (pair.key as { commentBefore?: string }).commentBefore = lines.map((l) => ` ${l}`).join("\n");
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}
