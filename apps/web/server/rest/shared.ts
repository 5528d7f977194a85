import { ErrorBody } from "../../lib/contract.ts";

/** The error answers every route may give, for the OpenAPI document. */
export const ERRORS = { 400: ErrorBody, 404: ErrorBody, 500: ErrorBody } as const;

/** Parses an optional ISO instant that the contract's zod schema already checked. */
export function instant(text: string | undefined, fallback: Date): Date {
  return text === undefined ? fallback : new Date(text);
}
