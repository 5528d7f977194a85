import { z } from "zod";
import type { ErrorBody } from "../../lib/contract.ts";

// The shared contracts are zod/mini, which registers no locale (browsers do not need one); REST
// 400s name the problem in English ("Too big: expected string to have <=100 characters") as they
// did when the contracts were classic zod, whatever was imported first.
z.config(z.locales.en());

type Code = ErrorBody["error"]["code"];

const STATUS: Record<Code, number> = {
  bad_request: 400,
  unauthorized: 401,
  rate_limited: 429,
  too_large: 413,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

/** An error a handler throws to answer with `{ error: { code, message, field? } }`. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: Code,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  body(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

/** Validates input at the edge; the first issue becomes a 400 naming its field. */
export function parseInput<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = z.safeParse(schema, input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : "invalid input";
  throw new HttpError("bad_request", message, field);
}
