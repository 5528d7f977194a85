import { randomUUID } from "node:crypto";
import { rows, type Sql } from "../auth/sql.ts";
import type { BadgeInput, BadgeRow, Component, NoticeRow, PageRow, UpdateRow } from "./model.ts";

/*
 * Status pages, notices, their public updates and badge keys in Postgres (add_status_pages
 * migration), raw SQL on the shared pool like the auth store. `version` goes up on every write so
 * the public cache (cache.ts) knows its rendered pages are stale.
 */

const PAGE_COLS = `id::text as id, slug, title, description, logo_url as "logoUrl", logo_type as "logoType",
  logo_data as "logoData", password_hash as "passwordHash", custom_domain as "customDomain", components,
  created_by as "createdBy", created_at as "createdAt", updated_at as "updatedAt"`;
const BADGE_COLS = `id::text as id, target_kind as "targetKind", target, metric, "window", label,
  created_by as "createdBy", created_at as "createdAt", revoked_at as "revokedAt"`;

export interface PageWrite {
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  /** undefined keeps the stored logo; null removes it. */
  logo?: { type: string; data: Buffer } | null;
  /** undefined keeps the stored password; null removes it. */
  passwordHash?: string | null;
  customDomain: string | null;
  components: Component[];
}

export class StatusStore {
  #version = 0;

  constructor(private readonly sql: Sql) {}

  /** Goes up on every write; part of every public cache key. */
  get version(): number {
    return this.#version;
  }

  #bump(): void {
    this.#version++;
  }

  async pages(): Promise<PageRow[]> {
    return rows<PageRow>(this.sql, `select ${PAGE_COLS} from status_pages order by slug`);
  }

  async pageById(id: string): Promise<PageRow | null> {
    const [row] = await rows<PageRow>(this.sql, `select ${PAGE_COLS} from status_pages where id = $1::uuid`, [
      id,
    ]);
    return row ?? null;
  }

  async pageBySlug(slug: string): Promise<PageRow | null> {
    const [row] = await rows<PageRow>(this.sql, `select ${PAGE_COLS} from status_pages where slug = $1`, [
      slug,
    ]);
    return row ?? null;
  }

  async pageByDomain(host: string): Promise<PageRow | null> {
    const [row] = await rows<PageRow>(
      this.sql,
      `select ${PAGE_COLS} from status_pages where custom_domain = $1`,
      [host],
    );
    return row ?? null;
  }

  /** null when the slug or domain is taken. */
  async createPage(p: PageWrite, createdBy: string): Promise<PageRow | null> {
    const [row] = await rows<PageRow>(
      this.sql,
      `insert into status_pages (id, slug, title, description, logo_url, logo_type, logo_data, password_hash,
         custom_domain, components, created_by)
       values ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
       on conflict do nothing returning ${PAGE_COLS}`,
      [
        randomUUID(),
        p.slug,
        p.title,
        p.description,
        p.logoUrl,
        p.logo?.type ?? null,
        p.logo?.data ?? null,
        p.passwordHash ?? null,
        p.customDomain,
        JSON.stringify(p.components),
        createdBy,
      ],
    );
    this.#bump();
    return row ?? null;
  }

  /** false when no such page; throws on a slug or domain taken by another page (unique violation). */
  async updatePage(id: string, p: PageWrite): Promise<boolean> {
    const out = await this.sql.query(
      `update status_pages set slug = $2, title = $3, description = $4, logo_url = $5,
         logo_type = case when $6::boolean then $7 else logo_type end,
         logo_data = case when $6::boolean then $8::bytea else logo_data end,
         password_hash = case when $9::boolean then $10 else password_hash end,
         custom_domain = $11, components = $12::jsonb, updated_at = now()
       where id = $1::uuid`,
      [
        id,
        p.slug,
        p.title,
        p.description,
        p.logoUrl,
        p.logo !== undefined,
        p.logo?.type ?? null,
        p.logo?.data ?? null,
        p.passwordHash !== undefined,
        p.passwordHash ?? null,
        p.customDomain,
        JSON.stringify(p.components),
      ],
    );
    this.#bump();
    return (out.rowCount ?? 0) > 0;
  }

  async deletePage(id: string): Promise<boolean> {
    const out = await this.sql.query("delete from status_pages where id = $1::uuid", [id]);
    this.#bump();
    return (out.rowCount ?? 0) > 0;
  }

  async createNotice(
    pageId: string,
    n: Omit<NoticeRow, "id" | "pageId" | "createdAt" | "updates">,
    first: { status: string; body: string; createdBy: string },
  ): Promise<string> {
    const id = randomUUID();
    // One statement: the notice never exists without its first update.
    await this.sql.query(
      `with n as (
         insert into status_notices (id, page_id, kind, title, incident_id, components, starts_at, ends_at)
         values ($1::uuid, $2::uuid, $3, $4, $5, $6::text[], $7, $8) returning id)
       insert into status_page_updates (id, notice_id, status, body, created_by)
       select $9::uuid, n.id, $10, $11, $12 from n`,
      [
        id,
        pageId,
        n.kind,
        n.title,
        n.incidentId,
        n.components,
        n.startsAt,
        n.endsAt,
        randomUUID(),
        first.status,
        first.body,
        first.createdBy,
      ],
    );
    this.#bump();
    return id;
  }

  async addUpdate(
    noticeId: string,
    u: { status: string; body: string; createdBy: string },
  ): Promise<boolean> {
    const out = await this.sql.query(
      `insert into status_page_updates (id, notice_id, status, body, created_by)
       select $1::uuid, id, $3, $4, $5 from status_notices where id = $2::uuid`,
      [randomUUID(), noticeId, u.status, u.body, u.createdBy],
    );
    this.#bump();
    return (out.rowCount ?? 0) > 0;
  }

  async notice(id: string): Promise<NoticeRow | null> {
    const list = await this.#notices("n.id = $1::uuid", [id]);
    return list[0] ?? null;
  }

  /** The newest notice on `pageId` that speaks for alerting incident `incidentKey`. */
  async noticeForIncident(pageId: string, incidentKey: string): Promise<NoticeRow | null> {
    const list = await this.#notices("n.page_id = $1::uuid and n.incident_id = $2", [pageId, incidentKey, 1]);
    return list[0] ?? null;
  }

  /** A page's notices that started after `since` or are still open, newest first, bounded. */
  async notices(pageId: string, since: Date, limit = 100): Promise<NoticeRow[]> {
    return this.#notices(
      "n.page_id = $1::uuid and (n.starts_at >= $2 or n.ends_at is null or n.ends_at >= $2)",
      [pageId, since, limit],
    );
  }

  /** Maintenance notices of any page naming `componentRefs`' components, overlapping [from, to). */
  async maintenance(from: Date, to: Date): Promise<{ page: PageRow; notice: NoticeRow }[]> {
    const list = await this.#notices(
      "n.kind = 'maintenance' and n.starts_at < $2 and (n.ends_at is null or n.ends_at > $1)",
      [from, to, 1000],
    );
    const pages = new Map((await this.pages()).map((p) => [p.id, p]));
    return list.flatMap((notice) => {
      const page = pages.get(notice.pageId);
      return page ? [{ page, notice }] : [];
    });
  }

  async #notices(where: string, values: unknown[]): Promise<NoticeRow[]> {
    const limitParam = values.length > 1 ? `$${values.length}` : "100";
    const list = await rows<
      Omit<NoticeRow, "updates"> & { updates: (Omit<UpdateRow, "at"> & { at: string })[] }
    >(
      this.sql,
      `select n.id::text as id, n.page_id::text as "pageId", n.kind, n.title, n.incident_id as "incidentId",
         coalesce(n.components, '{}') as components, n.starts_at as "startsAt", n.ends_at as "endsAt",
         n.created_at as "createdAt",
         coalesce((select json_agg(json_build_object('id', u.id::text, 'status', u.status, 'body', u.body, 'at', u.at)
                   order by u.at desc, u.id) from status_page_updates u where u.notice_id = n.id), '[]') as updates
       from status_notices n where ${where} order by n.starts_at desc, n.id limit ${limitParam}`,
      values,
    );
    return list.map((n) => ({ ...n, updates: n.updates.map((u) => ({ ...u, at: new Date(u.at) })) }));
  }

  async deleteNotice(id: string): Promise<boolean> {
    const out = await this.sql.query("delete from status_notices where id = $1::uuid", [id]);
    this.#bump();
    return (out.rowCount ?? 0) > 0;
  }

  async createBadge(keyHash: string, b: BadgeInput, createdBy: string): Promise<BadgeRow> {
    const [row] = await rows<BadgeRow>(
      this.sql,
      `insert into badges (id, key_hash, target_kind, target, metric, "window", label, created_by)
       values ($1::uuid, $2, $3, $4, $5, $6, $7, $8) returning ${BADGE_COLS}`,
      [randomUUID(), keyHash, b.targetKind, b.target, b.metric, b.window, b.label, createdBy],
    );
    if (!row) throw new Error("badges: insert returned no row");
    return row;
  }

  async badges(): Promise<BadgeRow[]> {
    return rows<BadgeRow>(this.sql, `select ${BADGE_COLS} from badges order by created_at desc limit 1000`);
  }

  /** An active (not revoked) badge by its key's hash. */
  async badgeByKeyHash(keyHash: string): Promise<BadgeRow | null> {
    const [row] = await rows<BadgeRow>(
      this.sql,
      `select ${BADGE_COLS} from badges where key_hash = $1 and revoked_at is null`,
      [keyHash],
    );
    return row ?? null;
  }

  async revokeBadge(id: string): Promise<boolean> {
    const out = await this.sql.query(
      "update badges set revoked_at = now() where id = $1::uuid and revoked_at is null",
      [id],
    );
    this.#bump();
    return (out.rowCount ?? 0) > 0;
  }
}
