import { isMap } from "./read.ts";

/*
 * Compose's `ports` entries as Vigil's "[ip:]host:container[/proto]" strings. A range
 * ("8000-8002:8000-8002", "127.0.0.1:9000-9001:90-91/udp", "7000-7001") becomes one entry per
 * port, paired in order, as Docker pairs them. What Docker would bind differently — a host range
 * for one container port (any free port of the range) — is refused with the reason, not guessed.
 */

const SHORT =
  /^(?:(?<ip>\d{1,3}(?:\.\d{1,3}){3}):)?(?:(?<host>\d+(?:-\d+)?)?:)?(?<container>\d+(?:-\d+)?)(?<proto>\/(?:tcp|udp))?$/;

/** The ports of "a" or "a-b" (inclusive), or a message when the range is backwards or out of bounds. */
function span(text: string): number[] | string {
  const [from, to = from] = text.split("-").map(Number);
  if (from === undefined || to === undefined) return `"${text}" is not a port or range`;
  if (from < 1 || to > 65_535) return `"${text}": ports are 1-65535`;
  if (to < from) return `"${text}": the range ends before it starts`;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** One compose `ports` entry as Vigil port strings, or why it cannot be one. */
export function composePorts(value: unknown): { ports: string[] } | { error: string } {
  if (typeof value === "number") return { ports: [String(value)] };
  if (isMap(value)) {
    if (value.target === undefined) return { error: "a long-form port needs target:" };
    const published = value.published === undefined ? "" : String(value.published);
    const ip = value.host_ip === undefined ? "" : `${String(value.host_ip)}:`;
    const proto = `/${String(value.protocol ?? "tcp")}`;
    return composePorts(`${ip}${published === "" ? "" : `${published}:`}${String(value.target)}${proto}`);
  }
  if (typeof value !== "string") return { error: "a port is a number, a string or a map" };
  const m = SHORT.exec(value);
  if (!m?.groups) return { error: `"${value}" is not "[ip:][host:]container[/proto]"` };
  const { ip, host, container = "", proto = "" } = m.groups;
  const inside = span(container);
  if (typeof inside === "string") return { error: inside };
  const outside = host === undefined ? undefined : span(host);
  if (typeof outside === "string") return { error: outside };
  if (outside !== undefined && outside.length !== inside.length) {
    return {
      error: `"${value}": the host range has ${outside.length} ports and the container range ${inside.length}; Vigil publishes ranges port for port`,
    };
  }
  const prefix = ip === undefined ? "" : `${ip}:`;
  return {
    ports: inside.map((port, i) => {
      const published = outside?.[i];
      // "ip::80" (ip, any host port) has no Vigil spelling but "ip:0:80" means the same to Docker.
      const hostPart = published !== undefined ? `${published}:` : ip === undefined ? "" : "0:";
      return `${prefix}${hostPart}${port}${proto}`;
    }),
  };
}
