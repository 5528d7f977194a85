import type { HttpCheckSpec } from "../config/schema.ts";
import { readHealthDocument } from "./health-document.ts";
import { describeExpected, statusMatches } from "./http-expect.ts";
import { checkCondition, parseCondition } from "./json-path.ts";
import { errorText, safeUrl, verdict } from "./result.ts";
import type { Probe, ProbeResult } from "./types.ts";

/** Bodies are read up to this size: a health endpoint streaming megabytes is not a health endpoint. */
const MAX_BODY = 1024 * 1024;

export const httpProbe: Probe<HttpCheckSpec> = async (spec, ctx) => {
  const started = performance.now();
  const where = `${spec.method} ${safeUrl(spec.url)}`;
  let response: Response;
  try {
    const init: RequestInit = {
      method: spec.method,
      headers: spec.headers,
      signal: ctx.signal,
      redirect: "follow",
    };
    if (spec.body !== undefined) init.body = spec.body;
    response = await fetch(spec.url, init);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const cause = (error as { cause?: unknown }).cause;
    return verdict("unhealthy", `${where}: ${errorText(cause ?? error)}`);
  }
  const text = spec.method === "HEAD" ? "" : await readCapped(response);
  const latency = performance.now() - started;
  const details: Record<string, unknown> = { httpStatus: response.status };
  const outcome = judge(spec, response.status, text, details);
  if (outcome) return outcome;
  if (spec.max_latency !== undefined && latency > spec.max_latency) {
    return verdict(
      "degraded",
      `slow: ${Math.round(latency)}ms > ${spec.max_latency}ms (HTTP ${response.status})`,
      details,
    );
  }
  const status =
    (details.health as { mapped?: string } | undefined)?.mapped === "degraded" ? "degraded" : "healthy";
  return verdict(
    status,
    status === "degraded" ? `health document reports "degraded"` : `HTTP ${response.status}`,
    details,
  );
};

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

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
