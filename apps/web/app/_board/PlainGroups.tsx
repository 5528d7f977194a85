import { GroupHeader, type GroupsProps, tileListClass } from "./GroupHeader";
import { ServiceTile } from "./ServiceTile";

/** Every tile in the DOM, groups side by side when compact: the board of a stack that fits a screen or two. */
export function PlainGroups({ groups, all, dense }: GroupsProps) {
  return (
    <div className={dense ? "grid gap-x-6 gap-y-4 lg:grid-cols-2 2xl:grid-cols-3" : "space-y-5"}>
      {groups.map((g) =>
        g.services.length === 0 ? null : (
          <section key={g.name} aria-labelledby={`group-${g.name}`} data-testid="group" data-group={g.name}>
            <GroupHeader group={g} all={all} />
            <ul className={tileListClass(dense)}>
              {g.services.map((s) => (
                <ServiceTile key={s.name} service={s} dense={dense} />
              ))}
            </ul>
          </section>
        ),
      )}
    </div>
  );
}
