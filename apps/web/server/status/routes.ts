import { z } from "zod";
import { Ok } from "../../lib/auth-contract.ts";
import { ErrorBody } from "../../lib/contract.ts";
import { idParam } from "../auth/admin-routes.ts";
import { hashPassword } from "../auth/password.ts";
import { ROUTE_RULES, ruleKey } from "../auth/permissions.ts";
import type { Sql } from "../auth/sql.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { Route } from "../rest/router.ts";
import type { ServiceState } from "./components.ts";
import { findIncident } from "./incident-link.ts";
import { incidentRoute } from "./incident-routes.ts";
import { sniffLogo } from "./logo.ts";
import { BadgeInput, NOTICE_STATUSES, NoticeInput, PageInput, type PageRow, UpdateInput } from "./model.ts";
import type { PageWrite, StatusStore } from "./store.ts";

/*
 * Operators' side of status pages, notices and badges (REST, `act`, audited by the gate through
 * ROUTE_RULES). Answers never carry the password hash or the logo bytes; a badge key is shown
 * once, on creation (only its SHA-256 is stored).
 */

const ERR = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } as const;
const Any = z.unknown();

/** A POST on `/…/:id/<verb>` that answers `{ ok: true }`, or 404 naming what was missing. */
function idAction(
  path: string,
  summary: string,
  tag: string,
  run: (id: string) => Promise<boolean>,
  missing: string,
): Omit<Route, "permission"> {
  return {
    method: "POST",
    path,
    doc: { summary, tag, responses: { 200: Ok, ...ERR } },
    handle: async ({ params }) => {
      if (!(await run(idParam(params)))) throw new HttpError("not_found", missing, "id");
      return { body: { ok: true } };
    },
  };
}

export function pageView(p: PageRow) {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    description: p.description,
    logoUrl: p.logoUrl,
    hasLogo: p.logoData !== null,
    hasPassword: p.passwordHash !== null,
    customDomain: p.customDomain,
    components: p.components,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function statusRoutes(deps: {
  sql: Sql;
  store: StatusStore;
  services: () => readonly ServiceState[];
}): Route[] {
  const { store } = deps;

  /** Components must name a configured service or group, so a typo shows at once, not as "no data". */
  const checkRef = (kind: "service" | "group", ref: string, field: string) => {
    const services = deps.services();
    const known =
      kind === "service" ? services.some((s) => s.name === ref) : services.some((s) => s.group === ref);
    if (!known) throw new HttpError("bad_request", `${field}: unknown ${kind} "${ref}"`, field);
  };

  const toWrite = async (body: unknown): Promise<PageWrite> => {
    const p = parseInput(PageInput, body ?? {});
    for (const [i, c] of p.components.entries()) checkRef(c.kind, c.ref, `components.${i}.ref`);
    let logo: PageWrite["logo"];
    if (p.logoData === null) logo = null;
    else if (p.logoData !== undefined) {
      const data = Buffer.from(p.logoData, "base64");
      const type = sniffLogo(data);
      if (!type)
        throw new HttpError(
          "bad_request",
          "logoData: a PNG, JPEG, GIF or WebP image up to 32 kB",
          "logoData",
        );
      logo = { type, data };
    }
    return {
      slug: p.slug,
      title: p.title,
      description: p.description,
      logoUrl: p.logoUrl,
      logo,
      passwordHash:
        p.password === undefined ? undefined : p.password === null ? null : await hashPassword(p.password),
      customDomain: p.customDomain,
      components: p.components,
    };
  };

  const noticeStatus = (kind: "incident" | "maintenance", status: string) => {
    const allowed: readonly string[] = NOTICE_STATUSES[kind];
    if (!allowed.includes(status))
      throw new HttpError(
        "bad_request",
        `status: one of ${allowed.join(", ")} for ${kind === "incident" ? "an incident" : "maintenance"}`,
        "status",
      );
  };

  const routes: Omit<Route, "permission">[] = [
    {
      method: "GET",
      path: "/api/status-pages",
      doc: { summary: "Status pages", tag: "status-pages", responses: { 200: Any } },
      handle: async () => ({ body: { pages: (await store.pages()).map(pageView) } }),
    },
    {
      method: "POST",
      path: "/api/status-pages",
      doc: {
        summary: "Create a status page",
        tag: "status-pages",
        body: PageInput,
        responses: { 201: Any, ...ERR },
      },
      handle: async ({ body, principal }) => {
        const page = await store.createPage(await toWrite(body), principal?.name ?? "");
        if (!page)
          throw new HttpError("conflict", "slug or custom domain already used by another page", "slug");
        return { status: 201, body: pageView(page) };
      },
    },
    {
      method: "GET",
      path: "/api/status-pages/:id",
      doc: {
        summary: "One status page with its notices",
        tag: "status-pages",
        responses: { 200: Any, ...ERR },
      },
      handle: async ({ params }) => {
        const page = await store.pageById(idParam(params));
        if (!page) throw new HttpError("not_found", "no such status page", "id");
        const notices = await store.notices(page.id, new Date(Date.now() - 90 * 86_400_000));
        return { body: { page: pageView(page), notices } };
      },
    },
    {
      method: "POST",
      path: "/api/status-pages/:id",
      doc: {
        summary: "Replace a status page's settings",
        tag: "status-pages",
        body: PageInput,
        responses: { 200: Ok, ...ERR },
      },
      handle: async ({ params, body }) => {
        const id = idParam(params);
        const write = await toWrite(body);
        const ok = await store.updatePage(id, write).catch((err: unknown) => {
          if (String((err as { code?: string }).code) === "23505")
            throw new HttpError("conflict", "slug or custom domain already used by another page", "slug");
          throw err;
        });
        if (!ok) throw new HttpError("not_found", "no such status page", "id");
        return { body: { ok: true } };
      },
    },
    idAction(
      "/api/status-pages/:id/delete",
      "Delete a status page and its notices",
      "status-pages",
      (id) => store.deletePage(id),
      "no such status page",
    ),
    {
      method: "POST",
      path: "/api/status-pages/:id/notices",
      doc: {
        summary: "Post an incident or maintenance with its first public update",
        tag: "status-pages",
        body: NoticeInput,
        responses: { 201: Any, ...ERR },
      },
      handle: async ({ params, body, principal }) => {
        const page = await store.pageById(idParam(params));
        if (!page) throw new HttpError("not_found", "no such status page", "id");
        const n = parseInput(NoticeInput, body ?? {});
        noticeStatus(n.kind, n.status);
        const ids = new Set(page.components.map((c) => c.id));
        const unknown = n.components.find((c) => !ids.has(c));
        if (unknown !== undefined)
          throw new HttpError(
            "bad_request",
            `components: "${unknown}" is not a component of this page`,
            "components",
          );
        // A link to an alerting incident must name one that exists (it picks where "Post a public update" goes).
        if (n.incidentId !== null && !(await findIncident(deps.sql, n.incidentId)))
          throw new HttpError(
            "bad_request",
            `incidentId: no alerting incident "${n.incidentId}"`,
            "incidentId",
          );
        const id = await store.createNotice(
          page.id,
          {
            kind: n.kind,
            title: n.title,
            incidentId: n.incidentId,
            components: n.components,
            startsAt: n.startsAt ? new Date(n.startsAt) : new Date(),
            endsAt: n.endsAt ? new Date(n.endsAt) : null,
          },
          { status: n.status, body: n.body, createdBy: principal?.name ?? "" },
        );
        return { status: 201, body: await store.notice(id) };
      },
    },
    {
      method: "POST",
      path: "/api/status-notices/:id/updates",
      doc: {
        summary: "Add a public update to a notice",
        tag: "status-pages",
        body: UpdateInput,
        responses: { 201: Any, ...ERR },
      },
      handle: async ({ params, body, principal }) => {
        const notice = await store.notice(idParam(params));
        if (!notice) throw new HttpError("not_found", "no such notice", "id");
        const u = parseInput(UpdateInput, body ?? {});
        noticeStatus(notice.kind, u.status);
        await store.addUpdate(notice.id, { ...u, createdBy: principal?.name ?? "" });
        return { status: 201, body: await store.notice(notice.id) };
      },
    },
    idAction(
      "/api/status-notices/:id/delete",
      "Delete a notice and its updates",
      "status-pages",
      (id) => store.deleteNotice(id),
      "no such notice",
    ),
    {
      method: "GET",
      path: "/api/badges",
      doc: { summary: "Badges (their keys are never shown again)", tag: "badges", responses: { 200: Any } },
      handle: async () => ({ body: { badges: await store.badges() } }),
    },
    {
      method: "POST",
      path: "/api/badges",
      doc: {
        summary: "Create a badge; the answer holds its URL once",
        tag: "badges",
        body: BadgeInput,
        responses: { 201: Any, ...ERR },
      },
      handle: async ({ body, principal }) => {
        const b = parseInput(BadgeInput, body ?? {});
        checkRef(b.targetKind, b.target, "target");
        if ((b.metric === "uptime" || b.metric === "latency") && b.window === null) b.window = "24h";
        const key = newToken(24);
        const badge = await store.createBadge(hashToken(key), b, principal?.name ?? "");
        return { status: 201, body: { ...badge, url: `/badge/${key}.svg` } };
      },
    },
    idAction(
      "/api/badges/:id/revoke",
      "Revoke a badge: its URL answers 404 from then on",
      "badges",
      (id) => store.revokeBadge(id),
      "no active badge with that id",
    ),
    incidentRoute(deps),
  ];
  return routes.map(
    (r): Route => ({ ...r, permission: ROUTE_RULES[ruleKey(r.method, r.path)]?.need ?? "admin" }),
  );
}
