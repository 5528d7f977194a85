import { describe, expect, it } from "vitest";
import type { ServiceView } from "../../lib/contract";
import { formatValue, tileValues, valueLabel } from "./values";

describe("value formatting for tiles and charts", () => {
  it("shows a few significant digits with the unit", () => {
    expect(formatValue(12.437, "days")).toBe("12.4 days");
    expect(formatValue(0.4251, "ms")).toBe("0.43 ms");
    expect(formatValue(1234.6, "")).toBe("1,235");
    expect(formatValue(2.5, "%")).toBe("2.5%");
    expect(formatValue(-3, "")).toBe("-3");
    expect(valueLabel("days_remaining")).toBe("days remaining");
  });

  it("takes a tile's values from its checks in order, at most two", () => {
    const check = (name: string, values?: { name: string; value: number; unit: string }[]) =>
      ({ name, ...(values ? { values } : {}) }) as ServiceView["checks"][number];
    const service = {
      checks: [
        check("http"),
        check("tls", [{ name: "days_remaining", value: 12.4, unit: "days" }]),
        check("queue", [
          { name: "queue_depth", value: 3, unit: "messages" },
          { name: "consumers", value: 1, unit: "" },
        ]),
      ],
    } as ServiceView;
    expect(tileValues(service).map((v) => `${v.check}.${v.name}`)).toEqual([
      "tls.days_remaining",
      "queue.queue_depth",
    ]);
    expect(tileValues({ checks: [check("http")] } as ServiceView)).toEqual([]);
  });
});
