import { z } from "zod";
import { ConfigSchema } from "./schema.ts";

/** Where the committed copy lives, relative to the repository root (editors point their modeline at it). */
export const JSON_SCHEMA_PATH = "schema/vigil.schema.json";
/** How to refresh the committed copy when the zod schemas change. */
export const JSON_SCHEMA_REFRESH = `pnpm vigil schema --output ${JSON_SCHEMA_PATH}`;

/**
 * The JSON Schema of vigil.yaml, generated from the same zod schemas the loader validates with
 * (every check kind from the registry, descriptions from `.describe()`), so editors complete and
 * check the file as people type. Input side: what a person writes (durations as "10s" or ms),
 * not what parsing yields. Draft 7, which yaml-language-server and most editors read.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigSchema, { io: "input", target: "draft-7", unrepresentable: "any" });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: "https://vigil.dev/schema/vigil.schema.json",
    title: "vigil.yaml",
    description: "Services Vigil runs and watches, how each runs, what it depends on and how it is checked.",
    ...rest,
  };
}

/** The schema as the committed file holds it: two-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
