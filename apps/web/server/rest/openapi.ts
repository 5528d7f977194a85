import { z } from "zod";
import type { Route } from "./router.ts";

type Json = Record<string, unknown>;

function schemaOf(schema: z.core.$ZodType, io: "input" | "output"): Json {
  // Unrepresentable parts (none today) become {} rather than breaking the whole document.
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete json.$schema;
  return json;
}

function queryParameters(query: z.core.$ZodObject): Json[] {
  const json = schemaOf(query, "input");
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema,
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
  }));
}

/**
 * An OpenAPI 3.1 document generated from the same route table the router uses and the contract's
 * zod schemas, so the document cannot drift from what the server accepts and returns.
 */
export function openApiDocument(routes: Route[], extra: { version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([a-zA-Z]+)/g, "{$1}");
    const params: Json[] = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    if (route.doc.query) params.push(...queryParameters(route.doc.query));
    const responses: Record<string, Json> = {};
    for (const [status, schema] of Object.entries(route.doc.responses)) {
      responses[status] = schema
        ? {
            description: statusText(Number(status)),
            content: { "application/json": { schema: schemaOf(schema, "output") } },
          }
        : {
            description: statusText(Number(status)),
            content: { "text/plain": { schema: { type: "string" } } },
          };
    }
    const operation: Json = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      summary: route.doc.summary,
      tags: [route.doc.tag],
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.doc.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemaOf(route.doc.body, "input") } },
            },
          }
        : {}),
      responses,
    };
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Vigil API",
      version: extra.version,
      description:
        "Health dashboard and service orchestrator. Live updates (snapshot, status, result, action, store, log, resources) stream over Socket.IO at /socket.io.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths,
  };
}

function statusText(status: number): string {
  const text: Record<number, string> = {
    200: "OK",
    202: "Accepted",
    400: "Invalid input; error.field names it",
    404: "Not found",
    409: "Conflict",
    500: "Internal error",
    503: "Not ready",
  };
  return text[status] ?? String(status);
}
