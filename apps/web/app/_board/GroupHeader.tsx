import type { ServiceView } from "../../lib/contract";
import { BulkActions } from "../_components/actions/BulkActions";
import type { Group } from "./derive";

/** A group's title, its size and its start/stop buttons, above its tiles. */
export function GroupHeader({ group: g, all }: { group: Group; all: readonly ServiceView[] }) {
  return (
    <div className="mb-2 flex flex-wrap items-center gap-2">
      <h2 id={`group-${g.name}`} className="text-sm font-bold uppercase tracking-wide text-muted">
        {g.name}
      </h2>
      <span className="text-xs text-muted">{g.all.length} services</span>
      <span className="ml-auto">
        <BulkActions services={g.all} group={g.name} all={all} />
      </span>
    </div>
  );
}

export const tileListClass = (dense: boolean) =>
  dense
    ? "grid grid-cols-[repeat(auto-fill,minmax(10.5rem,1fr))] gap-1.5"
    : "grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4";

/** What a layout of the board's groups draws: the filtered groups, every service, compact or not. */
export interface GroupsProps {
  groups: readonly Group[];
  all: readonly ServiceView[];
  dense: boolean;
}
