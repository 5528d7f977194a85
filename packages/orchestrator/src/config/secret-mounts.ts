import { readFileSync, statSync } from "node:fs";
import { isPlainMap } from "./merge.ts";

/** Larger than any password, key or token file; a bigger "secret" is not a value to search text for. */
const MAX_SECRET_FILE = 64 * 1024;

/**
 * The values of a docker service's secret mounts, for the redactor: inline content as written,
 * and the content of secret files as they read at load time (a container that prints its secret
 * must not put it in Vigil's logs). A file that cannot be read gives nothing here; the start
 * reports it.
 */
export function secretMountValues(service: Record<string, unknown>): string[] {
  const mounts = Array.isArray(service.secret_mounts) ? service.secret_mounts : [];
  return mounts.flatMap((mount): string[] => {
    if (!isPlainMap(mount)) return [];
    if (typeof mount.content === "string") return spellings(mount.content);
    if (typeof mount.file !== "string") return [];
    try {
      if (statSync(mount.file).size > MAX_SECRET_FILE) return [];
      return spellings(readFileSync(mount.file, "utf8"));
    } catch {
      return [];
    }
  });
}

/** A secret file usually ends in a newline the value printed elsewhere does not have. */
const spellings = (text: string): string[] => [...new Set([text, text.trim()])].filter((t) => t !== "");
