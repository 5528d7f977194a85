import { expect } from "vitest";
import type { DeliveryOutcome } from "../notify/types.ts";

/**
 * Sends four times against providerAnswers() and checks the classification every channel owes
 * the delivery worker: delivered, retryable with Retry-After, retryable, not retryable; and that
 * no secret value shows up in any outcome.
 */
export async function expectProviderClassification(
  send: () => Promise<DeliveryOutcome>,
  secrets: readonly string[],
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (let i = 0; i < 4; i++) outcomes.push(await send());
  const [ok, limited, down, rejected] = outcomes;
  expect(ok).toMatchObject({ ok: true });
  expect(limited).toMatchObject({ ok: false, status: 429, retryable: true, retryAfterMs: 2000 });
  expect(down).toMatchObject({ ok: false, status: 503, retryable: true });
  expect(rejected).toMatchObject({ ok: false, retryable: false });
  const text = JSON.stringify(outcomes);
  for (const secret of secrets) expect(text).not.toContain(secret);
  return outcomes;
}
