import { esc } from "./escape.ts";

/*
 * Shields-style flat badge: label on grey, value on a colour. Text widths are estimated from
 * Verdana's average advance (~6.5 px at 11 px) with narrow characters counted smaller, which is
 * what shields.io's static badges approximate too.
 */

export const BADGE_COLORS = {
  green: "#4c1",
  yellow: "#dfb317",
  orange: "#fe7d37",
  red: "#e05d44",
  blue: "#007ec6",
  grey: "#9f9f9f",
} as const;
export type BadgeColor = keyof typeof BADGE_COLORS;

function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[ilj.,:;'|!I1 ]/.test(ch) ? 3.5 : /[mwMW%]/.test(ch) ? 9.5 : 6.6;
  return Math.ceil(w);
}

export function renderBadge(label: string, value: string, color: BadgeColor): string {
  const lw = textWidth(label) + 10;
  const vw = textWidth(value) + 10;
  const w = lw + vw;
  const l = esc(label);
  const v = esc(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}">
<title>${l}: ${v}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${BADGE_COLORS[color]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>
<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${v}</text><text x="${lw + vw / 2}" y="14">${v}</text>
</g></svg>`;
}
