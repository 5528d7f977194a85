import { z } from "zod";
import { ErrorBody } from "../../lib/contract.ts";
import type { Sql } from "../auth/sql.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { Route } from "../rest/router.ts";
import type { ServiceState } from "./components.ts";
import { componentsShowing, findIncident, PublicUpdateInput } from "./incident-link.ts";
import type { StatusStore } from "./store.ts";

const KEY_MAX = 100;

/** The incident key from the path, or 404 naming it (keys are app-chosen text, bounded). */
export const incidentKeyParam = (params: Record<string, string>): string => {
  const key = params.key ?? "";
  if (key.length === 0 || key.length > KEY_MAX) throw new HttpError("not_found", "no such incident", "key");
  return key;
};

export const PublicUpdatePosted = z.object({
  notices: z.array(
    z.object({ pageId: z.string(), slug: z.string(), noticeId: z.string(), created: z.boolean() }),
  ),
});

/**
 * "Post a public update" from an alerting incident: on every status page with a component
 * showing the incident's root-cause service, add the update to the page's notice for this
 * incident, or open one (kind incident, those components, the operator's title). The public
 * reads only the operator's title and text and the components' public names.
 */
export function incidentRoute(deps: {
  sql: Sql;
  store: StatusStore;
  services: () => readonly ServiceState[];
}): Omit<Route, "permission"> {
  const { sql, store } = deps;
  return {
    method: "POST",
    path: "/api/alerts/incidents/:key/public-update",
    doc: {
      summary: "Post a public update for an incident on the status pages that show its root cause",
      tag: "status-pages",
      body: PublicUpdateInput,
      responses: { 201: PublicUpdatePosted, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
    handle: async ({ params, body, principal }) => {
      const incident = await findIncident(sql, incidentKeyParam(params));
      if (!incident) throw new HttpError("not_found", "no such incident", "key");
      const u = parseInput(PublicUpdateInput, body ?? {});
      const by = principal?.name ?? "";
      const notices: z.infer<typeof PublicUpdatePosted>["notices"] = [];
      for (const page of await store.pages()) {
        const components = componentsShowing(page, incident.rootService, deps.services());
        if (components.length === 0) continue;
        const existing = await store.noticeForIncident(page.id, incident.key);
        if (existing) {
          await store.addUpdate(existing.id, { status: u.status, body: u.body, createdBy: by });
          notices.push({ pageId: page.id, slug: page.slug, noticeId: existing.id, created: false });
          continue;
        }
        const noticeId = await store.createNotice(
          page.id,
          {
            kind: "incident",
            title: u.title,
            incidentId: incident.key,
            components: components.map((c) => c.id),
            startsAt: new Date(),
            endsAt: null,
          },
          { status: u.status, body: u.body, createdBy: by },
        );
        notices.push({ pageId: page.id, slug: page.slug, noticeId, created: true });
      }
      if (notices.length === 0)
        throw new HttpError(
          "conflict",
          `no status page shows service "${incident.rootService}" (add it, or its group, as a component)`,
          "key",
        );
      return { status: 201, body: { notices } };
    },
  };
}
