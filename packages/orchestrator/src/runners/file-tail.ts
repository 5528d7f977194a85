import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from "node:fs";

/** How often new output is picked up while a service is writing. */
const POLL_MS = 100;
/** A quiet file is looked at less and less often, down to this (its next line waits at most this). */
const IDLE_POLL_MS = 500;
/** Once fully read past this size, the capture file is truncated so it cannot grow forever. */
const TRUNCATE_AT = 1024 * 1024;
const CHUNK = 64 * 1024;
/**
 * One read buffer for every tail: drain is synchronous and hands out copies, so nothing else can
 * be using it. (A fresh 64 KiB buffer per poll was 1.3 GB/s of zeroed garbage at 1,000 services.)
 */
let scratch: Buffer | undefined;

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
  #closed = false;
  #pollMs = POLL_MS;

  constructor(
    file: string,
    private readonly onData: (chunk: Buffer) => void,
    opts: { fromEnd?: boolean } = {},
  ) {
    this.#fd = openSync(file, "r+");
    this.#offset = opts.fromEnd ? fstatSync(this.#fd).size : 0;
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      // Back off while nothing is written; the first new output brings the fast pace back.
      this.#pollMs = this.drain() ? POLL_MS : Math.min(IDLE_POLL_MS, this.#pollMs * 2);
      if (!this.#closed) this.#schedule();
    }, this.#pollMs);
    this.#timer.unref();
  }

  /**
   * Reads everything written so far (synchronously, so an exit handler can flush first); true when
   * there was something new.
   */
  drain(): boolean {
    let size: number;
    try {
      size = fstatSync(this.#fd).size;
    } catch {
      return false;
    }
    if (size < this.#offset) this.#offset = 0; // truncated by someone else
    if (this.#offset >= size) return false;
    scratch ??= Buffer.allocUnsafe(CHUNK);
    const buffer = scratch;
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
    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.drain();
    closeSync(this.#fd);
  }
}
