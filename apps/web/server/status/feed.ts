import { esc } from "./escape.ts";
import type { PublicView } from "./view.ts";

/** Atom feed of the page's notices, one entry per notice, its updates in the content (newest first). */
export function renderAtom(view: PublicView, selfUrl: string, pageUrl: string): string {
  const notices = [...view.active, ...view.upcoming, ...view.past];
  const updated = notices.reduce(
    (latest, n) => (n.updates[0] && n.updates[0].at > latest ? n.updates[0].at : latest),
    "1970-01-01T00:00:00.000Z",
  );
  const entries = notices
    .map((n) => {
      const last = n.updates[0]?.at ?? n.startsAt;
      const content = n.updates.map((u) => `${u.at} ${u.status}: ${u.body}`).join("\n");
      return `<entry><id>urn:uuid:${esc(n.id)}</id><title>${esc(`[${n.kind}] ${n.title} — ${n.status}`)}</title>
<updated>${esc(last)}</updated><published>${esc(n.startsAt)}</published><link href="${esc(pageUrl)}"/>
<content type="text">${esc(content)}</content></entry>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(view.title)}</title><id>${esc(selfUrl)}</id>
<link rel="self" href="${esc(selfUrl)}"/><link href="${esc(pageUrl)}"/><updated>${esc(updated)}</updated>
<author><name>${esc(view.title)}</name></author>
${entries}
</feed>`;
}
