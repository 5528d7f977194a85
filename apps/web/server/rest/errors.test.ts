import { describe, expect, it } from "vitest";
import { ActionRequest, HistoryQuery } from "../../lib/contract.ts";
import { HttpError, parseInput } from "./errors.ts";

// The contracts are zod/mini, which carries no messages of its own: these must stay readable.
describe("parseInput on the shared contracts", () => {
  const failure = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      if (err instanceof HttpError) return { status: err.status, field: err.field, message: err.message };
      throw err;
    }
    throw new Error("expected a 400");
  };

  it("answers 400 naming the field, in words", () => {
    expect(
      failure(() => parseInput(ActionRequest, { kind: "start", idempotencyKey: "x".repeat(101) })),
    ).toEqual({
      status: 400,
      field: "idempotencyKey",
      message: "idempotencyKey: Too big: expected string to have <=100 characters",
    });
    expect(failure(() => parseInput(ActionRequest, { kind: "boot" }))).toEqual({
      status: 400,
      field: "kind",
      message: 'kind: Invalid option: expected one of "start"|"stop"|"restart"|"rollback"',
    });
  });

  it("returns the parsed value with defaults and coercions applied", () => {
    expect(parseInput(ActionRequest, { kind: "stop" })).toEqual({
      kind: "stop",
      targets: [],
      withDependents: false,
    });
    expect(
      parseInput(HistoryQuery, {
        service: "api",
        from: "2026-11-20T00:00:00Z",
        to: "2026-11-21T00:00:00Z",
        limit: "50",
      }),
    ).toMatchObject({ resolution: "auto", limit: 50 });
  });
});
