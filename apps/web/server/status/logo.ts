import { LOGO_MAX_BYTES, type LOGO_TYPES } from "./model.ts";

const MAGIC: [(typeof LOGO_TYPES)[number], (b: Buffer) => boolean][] = [
  [
    "image/png",
    (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ["image/jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  [
    "image/gif",
    (b) =>
      b.subarray(0, 6).toString("latin1") === "GIF87a" || b.subarray(0, 6).toString("latin1") === "GIF89a",
  ],
  [
    "image/webp",
    (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
  ],
];

/**
 * An uploaded logo's type from its first bytes (never from what the client claims), so the
 * served Content-Type matches the content and nosniff has nothing to guess. Null = refused.
 */
export function sniffLogo(data: Buffer): (typeof LOGO_TYPES)[number] | null {
  if (data.length === 0 || data.length > LOGO_MAX_BYTES) return null;
  return MAGIC.find(([, test]) => test(data))?.[0] ?? null;
}
