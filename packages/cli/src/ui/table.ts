import { visibleWidth } from "./color.ts";

export interface Column {
  header: string;
  align?: "left" | "right";
}

/**
 * A plain aligned table: header row, then one row per entry, two spaces between columns. Width is
 * measured without colour escapes so coloured cells line up. The last column is not padded so
 * lines carry no trailing spaces.
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  paintHeader: (text: string) => string = (t) => t,
): string {
  const widths = columns.map((column, index) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[index] ?? ""))),
  );
  const line = (cells: string[], paint: (text: string) => string = (t) => t): string =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? "";
        const gap = " ".repeat((widths[index] ?? 0) - visibleWidth(cell));
        const last = index === columns.length - 1;
        if (column.align === "right") return gap + paint(cell);
        return last ? paint(cell) : paint(cell) + gap;
      })
      .join("  ")
      .trimEnd();
  const header = line(
    columns.map((c) => c.header),
    paintHeader,
  );
  return `${[header, ...rows.map((row) => line(row))].join("\n")}\n`;
}
