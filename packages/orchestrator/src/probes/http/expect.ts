import type { HttpCheckSpec } from "../http.ts";

type StatusExpectation = HttpCheckSpec["expect"]["status"];

/** Whether `code` matches `200`, `"200-299"` or a list of those. */
export function statusMatches(code: number, expected: StatusExpectation): boolean {
  const list = Array.isArray(expected) ? expected : [expected];
  return list.some((item) => {
    if (typeof item === "number") return code === item;
    const [low, high] = item.split("-").map(Number) as [number, number | undefined];
    return high === undefined ? code === low : code >= low && code <= high;
  });
}

export function describeExpected(expected: StatusExpectation): string {
  return (Array.isArray(expected) ? expected : [expected]).join(", ");
}
