/** Check names: the configured name, else the kind; repeats get "-2", "-3"... ("http", "http-2"). */
export function checkNames(specs: readonly { kind: string; name?: string | undefined }[]): string[] {
  const used = new Set<string>();
  return specs.map((spec) => {
    const base = spec.name ?? spec.kind;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}
