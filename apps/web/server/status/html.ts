import { createHash } from "node:crypto";
import type { PublicStatus } from "./components.ts";
import { esc } from "./escape.ts";
import type { PublicNotice, PublicView } from "./view.ts";

/*
 * The public page as one server-rendered HTML document: no framework, no session, no socket.
 * A 300-byte script asks the JSON endpoint every 10 s (revalidating by ETag) and reloads when its
 * version differs from the page's; without script a meta refresh does the same every 60 s.
 * The markup names nothing but public words (no data-* attributes, component ids are public).
 */

const LABEL: Record<PublicStatus, string> = {
  operational: "Operational",
  degraded: "Degraded",
  outage: "Outage",
  maintenance: "Maintenance",
  unknown: "Unknown",
};

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}
header{display:flex;gap:1rem;align-items:center}header img{max-height:48px;max-width:160px}
.s{display:inline-block;padding:.1rem .5rem;border-radius:4px;color:#fff;font-size:.85rem}
.operational{background:#1a7f37}.degraded{background:#bf8700}.outage{background:#cf222e}.maintenance{background:#0969da}.unknown{background:#6e7781}
.c{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}.c h3{display:flex;justify-content:space-between;margin:0;font-size:1rem}
.bars{display:flex;gap:1px;height:28px;margin-top:.5rem}.bars i{flex:1;background:#d0d7de}.bars i.g{background:#1a7f37}.bars i.w{background:#bf8700}.bars i.b{background:#cf222e}
.n{border-left:4px solid #bf8700;padding:.25rem 1rem;margin:1rem 0}.n.maintenance{border-color:#0969da}.n p{margin:.25rem 0}small{color:#57606a}`;
const SCRIPT = `(()=>{const v=document.querySelector("meta[name=version]").content;const u=location.pathname.replace(/\\/$/,"")+"/json";setInterval(async()=>{try{const r=await fetch(u,{cache:"no-cache"});if(r.ok&&(await r.json()).version!==v)location.reload()}catch{}},10000)})();`;

const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** CSP for the page: only its own inline style and script, images from itself or https. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha(STYLE)}`,
  `script-src ${sha(SCRIPT)}`,
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const pct = (v: number | null) => (v === null ? "n/a" : `${(Math.floor(v * 10000) / 100).toFixed(2)}%`);
const barClass = (v: number | null) => (v === null ? "" : v >= 0.999 ? "g" : v >= 0.95 ? "w" : "b");
const when = (iso: string) =>
  `<time datetime="${esc(iso)}">${esc(iso.replace("T", " ").slice(0, 16))} UTC</time>`;

function notice(n: PublicNotice): string {
  const updates = n.updates
    .map((u) => `<p><b>${esc(u.status)}</b> — ${esc(u.body)} <small>${when(u.at)}</small></p>`)
    .join("");
  const affected =
    n.components.length > 0 ? `<small>Affects: ${n.components.map(esc).join(", ")}</small>` : "";
  return `<article class="n ${n.kind}"><h3>${esc(n.title)}</h3>${affected}${updates}</article>`;
}

/** `base`: the page's path ("/status/<slug>", or "" on its custom domain). */
export function renderPage(view: PublicView, base: string): string {
  const logo = view.logo ? `<img src="${esc(view.logo)}" alt="">` : "";
  const components = view.components
    .map(
      (c) =>
        `<section class="c" id="c-${esc(c.id)}"><h3><span>${esc(c.name)}</span>` +
        `<span class="s ${c.status}">${LABEL[c.status]}</span></h3><div class="bars">` +
        c.bars
          .map((b) => `<i class="${barClass(b.uptime)}" title="${b.day}: ${pct(b.uptime)}"></i>`)
          .join("") +
        `</div><small>90 days: ${pct(c.uptime90d)}</small></section>`,
    )
    .join("");
  const list = (title: string, items: PublicNotice[]) =>
    items.length > 0 ? `<h2>${title}</h2>${items.map(notice).join("")}` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(view.title)}</title><meta name="version" content="${esc(view.version)}"><style>${STYLE}</style><link rel="alternate" type="application/atom+xml" href="${esc(`${base}/feed.atom`)}">
<noscript><meta http-equiv="refresh" content="60"></noscript></head><body>
<header>${logo}<div><h1>${esc(view.title)}</h1><p>${esc(view.description)}</p></div></header>
<p id="overall"><span class="s ${view.status}">${LABEL[view.status]}</span> <small>as of ${when(view.generatedAt)}</small></p>
${list("Active incidents and maintenance", view.active)}${components}${list("Scheduled maintenance", view.upcoming)}${list("Past incidents", view.past)}
<script>${SCRIPT}</script></body></html>`;
}

/** The password form of a protected page (the only thing it shows before the password). */
export function renderPasswordForm(title: string, action: string, failed: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(title)}</h1>${failed ? "<p>Wrong password.</p>" : ""}<form method="post" action="${esc(action)}">
<label>Password <input type="password" name="password" autocomplete="current-password" required></label> <button>Open</button></form></body></html>`;
}
