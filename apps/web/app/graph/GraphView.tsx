"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { GraphResponse, ServiceView } from "../../lib/contract";
import { LiveArea, StaleNotice } from "../_components/ConnectionBadge";
import { StatusIcon } from "../_components/icons";
import { api, keys } from "../_lib/api";
import { useServices, useUrlState } from "../_lib/hooks";
import { rootCauses, STATUS_META } from "../_lib/status";
import { COL_W, chain, layout, NODE_H, NODE_W, PAD } from "./layout-graph";

/** The dependency graph by startup waves; edges take the colour of the dependency's health. */
export function GraphView({ initialGraph }: { initialGraph: GraphResponse | null }) {
  const graph = useQuery({
    queryKey: keys.graph,
    queryFn: ({ signal }) => api.graph(signal),
    initialData: initialGraph ?? undefined,
    staleTime: 60_000,
  });
  const services = useServices();
  const [sp, setUrl] = useUrlState();
  const router = useRouter();
  if (graph.error) return <p role="alert">Cannot load the graph: {graph.error.message}</p>;
  if (!graph.data || !services.data) return <p className="text-muted">Loading the dependency graph…</p>;
  const g = graph.data;
  const list = services.data.services;
  const byName = new Map(list.map((s) => [s.name, s]));
  const { nodes, width, height } = layout(g, list);
  const causes = rootCauses(list);
  const selected = sp.get("service");
  const focus = selected && byName.has(selected) ? chain(selected, g) : null;

  return (
    <div>
      <StaleNotice />
      <div className="mb-3 flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-bold">Dependencies</h1>
        <p className="text-sm text-muted">
          Columns are startup waves. Arrows point from a service to what it needs; red dashed arrows lead from
          blocked services to the failing dependency, which is ringed as the root cause. Click a service to
          trace its chain.
        </p>
      </div>
      {causes.size > 0 ? (
        <p
          role="status"
          className="mb-3 rounded-md bg-st-unhealthy-bg px-3 py-2 text-sm font-semibold text-st-unhealthy"
          data-testid="root-causes"
        >
          Root cause: {[...causes].map((c) => `${c} (${byName.get(c)?.status ?? "unknown"})`).join(", ")}
        </p>
      ) : null}
      <LiveArea>
        <div className="overflow-x-auto rounded-lg border border-line bg-surface">
          <svg width={width} height={height} role="img" aria-label="Dependency graph" className="block">
            <title>Dependency graph by startup wave</title>
            <defs>
              {Object.entries(STATUS_META).map(([status, m]) => (
                <marker
                  key={status}
                  id={`arrow-${status}`}
                  viewBox="0 0 10 10"
                  refX="9"
                  refY="5"
                  markerWidth="7"
                  markerHeight="7"
                  orient="auto-start-reverse"
                >
                  <path d="M0,0 L10,5 L0,10 z" fill={m.css} />
                </marker>
              ))}
            </defs>
            {g.waves.map((wave, w) => (
              <text
                key={wave.join(",")}
                x={PAD + w * COL_W}
                y={PAD}
                className="fill-muted text-[11px] font-semibold uppercase"
              >
                Wave {w + 1}
              </text>
            ))}
            {g.edges.map((e) => {
              const a = nodes.get(e.from);
              const b = nodes.get(e.to);
              const dep = byName.get(e.to);
              const dependent = byName.get(e.from);
              if (!a || !b || !dep) return null;
              const blocking = dependent?.status === "blocked" && dependent.blockedBy.includes(e.to);
              const tone = dep.status === "healthy" ? "healthy" : dep.status;
              const x1 = a.x;
              const y1 = a.y + NODE_H / 2;
              const x2 = b.x + NODE_W;
              const y2 = b.y + NODE_H / 2;
              const mid = (x1 + x2) / 2;
              const dim = focus && !(focus.has(e.from) && focus.has(e.to));
              return (
                <path
                  key={`${e.from}->${e.to}`}
                  d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
                  fill="none"
                  stroke={blocking ? STATUS_META.unhealthy.css : STATUS_META[tone].css}
                  strokeWidth={blocking ? 3 : dep.status === "healthy" ? 1.5 : 2.5}
                  strokeDasharray={blocking ? "6 4" : e.condition === "started" ? "2 3" : undefined}
                  markerEnd={`url(#arrow-${blocking ? "unhealthy" : tone})`}
                  opacity={dim ? 0.15 : dep.status === "healthy" ? 0.55 : 1}
                  data-testid="edge"
                  data-from={e.from}
                  data-to={e.to}
                >
                  <title>{`${e.from} needs ${e.to} (${e.condition}); ${e.to} is ${dep.status}`}</title>
                </path>
              );
            })}
            {[...nodes.values()].map((n) => {
              const s = byName.get(n.name);
              if (!s) return null;
              return (
                <Node
                  key={n.name}
                  s={s}
                  x={n.x}
                  y={n.y}
                  cause={causes.has(n.name)}
                  dim={!!focus && !focus.has(n.name)}
                  selected={selected === n.name}
                  onSelect={() => setUrl({ service: selected === n.name ? null : n.name })}
                  onOpen={() => router.push(`/services/${encodeURIComponent(n.name)}`)}
                />
              );
            })}
          </svg>
        </div>
      </LiveArea>
      <p className="mt-2 text-xs text-muted">
        Dotted: needs it started. Solid: needs it healthy. Double-click a service to open it.
      </p>
    </div>
  );
}

function Node(props: {
  s: ServiceView;
  x: number;
  y: number;
  cause: boolean;
  dim: boolean;
  selected: boolean;
  onSelect: () => void;
  onOpen: () => void;
}) {
  const { s, x, y, cause, dim, selected } = props;
  const m = STATUS_META[s.status];
  const sub = s.status === "blocked" && s.blockedBy.length ? `blocked by ${s.blockedBy.join(", ")}` : m.word;
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
    <g
      transform={`translate(${x},${y})`}
      opacity={dim ? 0.3 : 1}
      role="button"
      tabIndex={0}
      aria-label={`${s.name}: ${sub}${cause ? ", root cause" : ""}`}
      aria-pressed={selected}
      onClick={props.onSelect}
      onDoubleClick={props.onOpen}
      onKeyDown={(e) => {
        if (e.key === "Enter") props.onOpen();
        if (e.key === " ") {
          e.preventDefault();
          props.onSelect();
        }
      }}
      className="cursor-pointer"
      data-testid="node"
      data-service={s.name}
      data-status={s.status}
      data-root-cause={cause ? "true" : undefined}
    >
      {cause ? (
        <rect
          x={-5}
          y={-5}
          width={NODE_W + 10}
          height={NODE_H + 10}
          rx={10}
          fill="none"
          stroke={m.css}
          strokeWidth={3}
          className="pulse-dot"
        />
      ) : null}
      <rect
        width={NODE_W}
        height={NODE_H}
        rx={7}
        fill="var(--surface-2)"
        stroke={selected ? "var(--focus)" : m.css}
        strokeWidth={selected ? 2.5 : 1.5}
      />
      <rect width={6} height={NODE_H} rx={3} fill={m.css} />
      <g transform="translate(14,8)" className={m.text}>
        <StatusIcon status={s.status} size={16} />
      </g>
      <text x={36} y={21} className="fill-fg text-[13px] font-semibold">
        {s.name.length > 20 ? `${s.name.slice(0, 19)}…` : s.name}
      </text>
      <text x={14} y={41} fill={m.css} className="text-[11px] font-medium">
        {sub.length > 30 ? `${sub.slice(0, 29)}…` : sub}
        {cause ? " · root cause" : ""}
      </text>
    </g>
  );
}
