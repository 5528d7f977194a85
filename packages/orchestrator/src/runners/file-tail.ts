import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from "node:fs";

/** How often new output is picked up. */
const POLL_MS = 100;
/** Once fully read past this size, the capture file is truncated so it cannot grow forever. */
const TRUNCATE_AT = 1024 * 1024;
const CHUNK = 64 * 1024;

/**
 * Follows a capture file a service writes its stdout or stderr to (O_APPEND). Services write to
 * files rather than pipes so they survive Vigil exiting: a pipe would break and kill them with
 * EPIPE. Truncation after a full read can lose a line written in the same instant — a small,
 * bounded price for a file that never grows past ~1 MiB.
 */
export class FileTail {
  readonly #fd: number;
  #offset: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    file: string,
    private readonly onData: (chunk: Buffer) => void,
    opts: { fromEnd?: boolean } = {},
  ) {
    this.#fd = openSync(file, "r+");
    this.#offset = opts.fromEnd ? fstatSync(this.#fd).size : 0;
    this.#timer = setInterval(() => this.drain(), POLL_MS);
    this.#timer.unref();
  }

  /** Reads everything written so far (synchronously, so an exit handler can flush first). */
  drain(): void {
    let size: number;
    try {
      size = fstatSync(this.#fd).size;
    } catch {
      return;
    }
    if (size < this.#offset) this.#offset = 0; // truncated by someone else
    const buffer = Buffer.alloc(CHUNK);
    while (this.#offset < size) {
      const read = readSync(this.#fd, buffer, 0, Math.min(CHUNK, size - this.#offset), this.#offset);
      if (read <= 0) break;
      this.#offset += read;
      this.onData(Buffer.from(buffer.subarray(0, read)));
    }
    if (this.#offset >= TRUNCATE_AT && fstatSync(this.#fd).size === this.#offset) {
      ftruncateSync(this.#fd, 0);
      this.#offset = 0;
    }
  }

  close(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.drain();
    closeSync(this.#fd);
  }
}
