import { z } from "zod";
import { rows, type Sql } from "../auth/sql.ts";
import type { ServiceState } from "./components.ts";
import type { Component, PageRow } from "./model.ts";

/*
 * The link between a status notice and an alerting incident (incidents table, alerting work).
 * Only the incident's key is stored on the notice; its root-cause service picks the pages and
 * components a public update goes to, and never itself reaches a public route.
 */

export interface LinkedIncident {
  key: string;
  rootService: string;
  resolved: boolean;
}

/** `POST /api/alerts/incidents/:key/public-update`: the operator's public words only. */
export const PublicUpdateInput = z.object({
  /** The notice's title where a page has none for this incident yet. */
  title: z.string().trim().min(1).max(200),
  status: z.enum(["investigating", "identified", "monitoring", "resolved"]),
  body: z.string().trim().min(1).max(5000),
});
export type PublicUpdateInput = z.infer<typeof PublicUpdateInput>;

export async function findIncident(sql: Sql, key: string): Promise<LinkedIncident | null> {
  const [row] = await rows<LinkedIncident>(
    sql,
    `select key, root_service as "rootService", resolved_at is not null as resolved from incidents where key = $1`,
    [key],
  );
  return row ?? null;
}

/** The components of `page` that show `service`: the service itself or its group. */
export function componentsShowing(
  page: PageRow,
  service: string,
  services: readonly ServiceState[],
): Component[] {
  const group = services.find((s) => s.name === service)?.group;
  return page.components.filter((c) =>
    c.kind === "service" ? c.ref === service : !!group && c.ref === group,
  );
}
