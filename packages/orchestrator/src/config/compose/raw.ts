/** A mapping as YAML gives it, before any validation. */
export type RawMap = Record<string, unknown>;

export const isMap = (v: unknown): v is RawMap => typeof v === "object" && v !== null && !Array.isArray(v);
