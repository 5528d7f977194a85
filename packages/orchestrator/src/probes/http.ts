import { z } from "zod";
import { duration } from "../config/duration.ts";
import { stringMap } from "../config/fields.ts";
import { type HttpAnswer, httpRequest } from "./http/client.ts";
import { describeExpected, statusMatches } from "./http/expect.ts";
import { readHealthDocument } from "./http/health-document.ts";
import { checkCondition, parseCondition } from "./http/json-path.ts";
import { checkPolicy } from "./support/policy.ts";
import { errorText, safeUrl, verdict } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import { certificateDays, TLS_VALUES } from "./tls.ts";
import type { CheckKindDef, Probe, ProbeResult } from "./types.ts";

const statusExpectation = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^\d{3}(-\d{3})?$/, 'use a code like 200 or a range like "200-299"'),
]);

export const HttpCheck = z
  .strictObject({
    kind: z.literal("http"),
    ...checkPolicy,
    url: z.string().url().describe("URL to request; credentials in it never appear in results."),
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
    headers: stringMap.default({}).describe("Request headers (values are redacted in the UI)."),
    body: z.string().optional().describe("Request body."),
    expect: z
      .strictObject({
        status: z
          .union([statusExpectation, z.array(statusExpectation).min(1)])
          .default("200-399")
          .describe('Accepted status: 200, "200-299" or a list of those.'),
        body_contains: z.string().optional().describe("The body must contain this text."),
        body_regex: z.string().optional().describe("The body must match this regular expression."),
        /** JSON path conditions such as `$.status == "healthy"` or `$.checks.db.ok == true`. */
        json: z
          .array(z.string())
          .default([])
          .describe('JSON path conditions such as `$.status == "healthy"` or `$.checks.db.ok == true`.'),
        // https only: the certificate's days left, e.g. ">= 14" (failing is degraded).
        ...valueConditionFields(TLS_VALUES),
      })
      .default({ status: "200-399", json: [] }),
    /** Slower than this is `degraded`, not healthy. */
    max_latency: duration.optional().describe("Slower than this is degraded, not healthy."),
    /** Read `status`, `checks.dependencies`, `checks.resources` from a standard health document. */
    health_document: z
      .boolean()
      .default(true)
      .describe("Read status, checks.dependencies and checks.resources from a standard health document."),
  })
  .describe("HTTP(S) request with expectations on status, body, JSON and latency.");

export type HttpCheckSpec = z.output<typeof HttpCheck>;

/** Bodies are read up to this size: a health endpoint streaming megabytes is not a health endpoint. */
const MAX_BODY = 1024 * 1024;

/** https checks also report the certificate's `days_remaining`, read by a handshake beside the request. */
export const httpProbe: Probe<HttpCheckSpec> = async (spec, ctx) => {
  const expiry = certificateDays(spec.url, ctx.signal);
  const result = await requestAndJudge(spec, ctx);
  const days = await expiry;
  const measured =
    days === undefined ? result : { ...result, values: { ...result.values, days_remaining: days } };
  return judgeValues(measured, spec.expect, "degraded");
};

const requestAndJudge: Probe<HttpCheckSpec> = async (spec, ctx) => {
  const started = performance.now();
  // Only failures name the request: no URL is parsed for it on the passing path.
  const where = () => `${spec.method} ${safeUrl(spec.url)}`;
  if (hasCredentials(spec.url)) {
    return verdict("unhealthy", `${where()}: credentials in the URL are not sent; use headers.authorization`);
  }
  let answer: HttpAnswer;
  try {
    answer = await httpRequest({
      url: spec.url,
      method: spec.method,
      headers: spec.headers,
      signal: ctx.signal,
      maxBody: MAX_BODY,
      ...(spec.body === undefined ? {} : { body: spec.body }),
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return verdict("unhealthy", `${where()}: ${errorText(error)}`);
  }
  const latency = performance.now() - started;
  const details: Record<string, unknown> = { httpStatus: answer.status };
  const outcome = judge(spec, answer.status, answer.text, details);
  if (outcome) return outcome;
  if (spec.max_latency !== undefined && latency > spec.max_latency) {
    return verdict(
      "degraded",
      `slow: ${Math.round(latency)}ms > ${spec.max_latency}ms (HTTP ${answer.status})`,
      details,
    );
  }
  const status =
    (details.health as { mapped?: string } | undefined)?.mapped === "degraded" ? "degraded" : "healthy";
  return verdict(
    status,
    status === "degraded" ? `health document reports "degraded"` : `HTTP ${answer.status}`,
    details,
  );
};

/** fetch refused such URLs, and sending them as Basic auth silently would be a new behaviour. */
function hasCredentials(raw: string): boolean {
  // User and password come before an "@"; without one there is nothing to parse for.
  if (!raw.includes("@")) return false;
  const url = URL.parse(raw);
  return url !== null && (url.username !== "" || url.password !== "");
}

/** Returns a failing result, or undefined when every expectation holds. Fills `details` on the way. */
function judge(
  spec: HttpCheckSpec,
  code: number,
  text: string,
  details: Record<string, unknown>,
): ProbeResult | undefined {
  let json: unknown;
  let parsed = false;
  if (spec.expect.json.length > 0 || spec.health_document) {
    try {
      json = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  const doc = parsed && spec.health_document ? readHealthDocument(json) : undefined;
  if (doc) details.health = doc;

  if (!statusMatches(code, spec.expect.status)) {
    const why = doc && doc.mapped !== "healthy" ? `, health document reports "${doc.status}"` : "";
    return verdict(
      "unhealthy",
      `HTTP ${code} (expected ${describeExpected(spec.expect.status)})${why}`,
      details,
    );
  }
  if (spec.expect.body_contains !== undefined && !text.includes(spec.expect.body_contains)) {
    return verdict(
      "unhealthy",
      `body does not contain ${JSON.stringify(spec.expect.body_contains)}`,
      details,
    );
  }
  if (spec.expect.body_regex !== undefined && !new RegExp(spec.expect.body_regex).test(text)) {
    return verdict("unhealthy", `body does not match /${spec.expect.body_regex}/`, details);
  }
  if (spec.expect.json.length > 0) {
    if (!parsed) return verdict("unhealthy", "body is not JSON", details);
    const failures = spec.expect.json
      .map((c) => checkCondition(json, parseCondition(c)))
      .filter((f) => f !== null);
    if (failures.length > 0) return verdict("unhealthy", `condition failed: ${failures.join("; ")}`, details);
  }
  if (doc?.mapped === "unhealthy") {
    const deps = doc.failing.length > 0 ? ` (failing: ${doc.failing.join(", ")})` : "";
    return verdict("unhealthy", `health document reports "${doc.status}"${deps}`, details);
  }
  return undefined;
}

export const http: CheckKindDef<HttpCheckSpec> = { schema: HttpCheck, probe: httpProbe, values: TLS_VALUES };
