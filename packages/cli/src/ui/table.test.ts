import { describe, expect, it } from "vitest";
import { createPalette, stripAnsi, visibleWidth, wantsColor } from "./color.ts";
import { renderTable } from "./table.ts";

describe("renderTable", () => {
  it("aligns columns, right-aligns numbers and leaves no trailing spaces", () => {
    const text = renderTable(
      [{ header: "SERVICE" }, { header: "LATENCY", align: "right" }, { header: "STATE" }],
      [
        ["core-api", "12ms", "running"],
        ["redis", "1.5ms", "external"],
      ],
    );
    expect(text).toBe(
      ["SERVICE   LATENCY  STATE", "core-api     12ms  running", "redis       1.5ms  external", ""].join(
        "\n",
      ),
    );
  });

  it("measures coloured cells by their printed width", () => {
    const palette = createPalette(true);
    const text = renderTable([{ header: "A" }, { header: "B" }], [[palette.green("healthy"), "x"]]);
    expect(stripAnsi(text)).toBe("A        B\nhealthy  x\n");
    expect(visibleWidth(palette.red("abc"))).toBe(3);
  });
});

describe("wantsColor", () => {
  const tty = { write: () => true, isTTY: true };
  it("colours only a terminal, and never with NO_COLOR or --no-color", () => {
    expect(wantsColor({ stdout: tty, env: {} }, true)).toBe(true);
    expect(wantsColor({ stdout: { ...tty, isTTY: false }, env: {} }, true)).toBe(false);
    expect(wantsColor({ stdout: tty, env: { NO_COLOR: "1" } }, true)).toBe(false);
    expect(wantsColor({ stdout: tty, env: { NO_COLOR: "" } }, true)).toBe(true);
    expect(wantsColor({ stdout: tty, env: {} }, false)).toBe(false);
  });

  it("a disabled palette returns text unchanged", () => {
    expect(createPalette(false).red("x")).toBe("x");
  });
});
