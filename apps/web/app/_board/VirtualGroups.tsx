"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import { GroupHeader, type GroupsProps } from "./GroupHeader";
import { ServiceTile } from "./ServiceTile";

/** A group's header, or one row of its tiles (`from`–`to` of its shown services), by group position. */
type Row =
  | { kind: "group"; key: string; group: number }
  | { kind: "tiles"; key: string; group: number; from: number; to: number; lastOfGroup: boolean };

/* The plain board's measures, so a large board looks the same: minmax(10.5rem) tiles with a 0.375 rem
 * gap when compact; 1–4 columns at Tailwind's sm / lg / 2xl with a 0.75 rem gap when detailed. */
const DENSE_MIN_PX = 168;
const DENSE_GAP_PX = 6;

function columns(width: number, dense: boolean): number {
  if (dense) return Math.max(1, Math.floor((width + DENSE_GAP_PX) / (DENSE_MIN_PX + DENSE_GAP_PX)));
  const viewport = window.innerWidth;
  return viewport >= 1536 ? 4 : viewport >= 1024 ? 3 : viewport >= 640 ? 2 : 1;
}

/**
 * The rows for groups of these sizes. They hold positions, not services, so a status update
 * (new service objects, same sizes) keeps them, and with them the virtualizer's measurements.
 */
function rowsOf(sizes: readonly { name: string; size: number }[], perRow: number): Row[] {
  const rows: Row[] = [];
  sizes.forEach(({ name, size }, group) => {
    if (size === 0) return;
    rows.push({ kind: "group", key: `g:${name}`, group });
    for (let i = 0; i < size; i += perRow)
      rows.push({
        kind: "tiles",
        key: `t:${name}:${i}`,
        group,
        from: i,
        to: Math.min(size, i + perRow),
        lastOfGroup: i + perRow >= size,
      });
  });
  return rows;
}

/**
 * A board too large for the DOM: only the rows on screen (and a few either side) exist, laid out
 * on the page's own scroll, so the browser's scroll bar, Page Down and Tab keep working — focus
 * moving to a tile scrolls it into view, which draws the rows beyond it. Search and the status
 * filters find any service; the counts above always cover them all.
 */
export function VirtualGroups({ groups, all, dense }: GroupsProps) {
  const list = useRef<HTMLDivElement>(null);
  const [layout, setLayout] = useState({ perRow: dense ? 6 : 3, top: 0 });
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const measure = () => {
      const perRow = columns(el.clientWidth, dense);
      const top = Math.round(el.getBoundingClientRect().top + window.scrollY);
      setLayout((l) => (l.perRow === perRow && l.top === top ? l : { perRow, top }));
    };
    measure();
    // Banners above the board come and go (root causes, alerts): the list's offset follows them.
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [dense]);

  const shape = groups.map((g) => `${g.name}\n${g.services.length}`).join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` is what rows depend on in `groups`
  const rows = useMemo(
    () =>
      rowsOf(
        groups.map((g) => ({ name: g.name, size: g.services.length })),
        layout.perRow,
      ),
    [shape, layout.perRow],
  );
  const estimateSize = useCallback(
    (i: number) => (rows[i]?.kind === "group" ? 36 : dense ? 58 : 250),
    [rows, dense],
  );
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize,
    getItemKey,
    overscan: dense ? 8 : 3,
    scrollMargin: layout.top,
  });

  return (
    <div
      ref={list}
      data-testid="board-virtual"
      style={{ position: "relative", height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((item) => {
        const row = rows[item.index];
        const group = row ? groups[row.group] : undefined;
        if (!row || !group) return null;
        return (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className={row.kind === "group" ? "" : row.lastOfGroup ? "pb-5" : dense ? "pb-1.5" : "pb-3"}
            style={{
              position: "absolute",
              top: 0,
              left: 0,
              width: "100%",
              transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`,
            }}
          >
            {row.kind === "group" ? (
              <GroupHeader group={group} all={all} />
            ) : (
              <ul
                className={`grid ${dense ? "gap-1.5" : "gap-3"}`}
                style={{ gridTemplateColumns: `repeat(${layout.perRow}, minmax(0, 1fr))` }}
              >
                {group.services.slice(row.from, row.to).map((s) => (
                  <ServiceTile key={s.name} service={s} dense={dense} />
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}
