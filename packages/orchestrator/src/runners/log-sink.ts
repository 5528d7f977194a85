import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { EngineEvent } from "../events.ts";

export interface LogSinkOptions {
  service: string;
  /** `<stateDir>/logs/<service>.log`; rotated copies get `.1`, `.2`… (1 = newest). */
  file: string;
  maxSize: number;
  /** Files kept in total, the live one included (like Docker's json-file max-file). */
  maxFiles: number;
  /** Recent lines kept in memory for `logs()`. */
  ringSize?: number;
  onEvent: (event: EngineEvent) => void;
}

/**
 * Line-splits a service's output into a size-rotated file, an in-memory ring and `service.log`
 * events. Writes are synchronous so rotation never interleaves with a pending write.
 */
export class LogSink {
  private fd: number | undefined;
  private size = 0;
  private readonly ring: string[] = [];
  private readonly partial: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
  private readonly ringSize: number;

  constructor(private readonly opts: LogSinkOptions) {
    this.ringSize = opts.ringSize ?? 1000;
    mkdirSync(dirname(opts.file), { recursive: true });
  }

  /** Feeds a chunk of raw output; complete lines are emitted, a trailing fragment waits. */
  write(stream: "stdout" | "stderr", chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const lines = text.split("\n");
    this.partial[stream] = lines.pop() ?? "";
    for (const line of lines) this.line(stream, line.replace(/\r$/, ""));
  }

  /** Emits any unterminated fragment (the stream ended). */
  flush(stream: "stdout" | "stderr"): void {
    if (this.partial[stream]) this.line(stream, this.partial[stream]);
    this.partial[stream] = "";
  }

  recent(lines = 100): string[] {
    return this.ring.slice(-Math.max(0, lines));
  }

  close(): void {
    this.flush("stdout");
    this.flush("stderr");
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private line(stream: "stdout" | "stderr", line: string): void {
    const at = new Date();
    this.ring.push(line);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    this.append(`${at.toISOString()} ${stream} ${line}\n`);
    this.opts.onEvent({ type: "service.log", service: this.opts.service, stream, line, at });
  }

  private append(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.fd === undefined) this.open();
    if (this.size > 0 && this.size + bytes > this.opts.maxSize) {
      this.rotate();
      this.open();
    }
    if (this.fd === undefined) return;
    writeSync(this.fd, text);
    this.size += bytes;
  }

  private open(): void {
    this.fd = openSync(this.opts.file, "a");
    this.size = existsSync(this.opts.file) ? statSync(this.opts.file).size : 0;
  }

  private rotate(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const { file, maxFiles } = this.opts;
    rmSync(`${file}.${maxFiles - 1}`, { force: true });
    for (let i = maxFiles - 2; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    if (maxFiles > 1) renameSync(file, `${file}.1`);
    else rmSync(file, { force: true });
  }
}
