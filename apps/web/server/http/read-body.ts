import type { IncomingMessage } from "node:http";

/** Why a body could not be read; the caller maps it to its own answer (413, 400, a form page). */
export class BodyError extends Error {
  constructor(
    readonly reason: "too_large" | "timeout",
    message: string,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Reads a request body of at most `maxBytes` within `timeoutMs`. An over-long body is refused
 * without destroying the socket, so the caller can still write its answer (Node discards the
 * unread rest once the response is done; answer with `connection: close`). A declared
 * Content-Length over the limit is refused before a byte is read.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  const tooLarge = () => new BodyError("too_large", `request body over ${limits.maxBytes} bytes`);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => reject(new BodyError("timeout", "request body not received in time")),
      limits.timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        clearTimeout(timer);
        req.off("data", onData);
        chunks.length = 0;
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
