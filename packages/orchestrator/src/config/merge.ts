export type PlainMap = Record<string, unknown>;

export const isPlainMap = (value: unknown): value is PlainMap =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Overlay semantics: maps merge key by key, arrays and scalars replace, and an explicit `null`
 * in the overlay deletes the key (so `vigil.dev.yaml` can drop a service from the base).
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isPlainMap(base) || !isPlainMap(overlay)) return overlay === undefined ? base : overlay;
  const merged: PlainMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete merged[key];
    else merged[key] = deepMerge(base[key], value);
  }
  return merged;
}

/** Empty YAML values (`key:`) mean "not set", so defaults apply instead of a type error. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainMap(value)) return value;
  const result: PlainMap = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== null) result[key] = dropNulls(entry);
  }
  return result;
}
