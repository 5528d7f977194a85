import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { EngineEvent } from "../events.ts";

/** Where a service's LogSink writes: `<stateDir>/logs/<service>.log`. */
export const logFileOf = (stateDir: string, service: string): string =>
  join(stateDir, "logs", `${service}.log`);

/** `2026-11-23T10:06:58.367Z stdout <line>`: how LogSink writes each line to its file. */
const FILE_PREFIX = /^\S+Z (?:stdout|stderr) /;

/**
 * The last `n` lines of a service's log file under the state directory. The engine's `logs()`
 * only holds lines seen by this process, and a CLI invocation attaching to services an earlier
 * one started has seen none yet, so `vigil logs` falls back to the file the runner keeps.
 */
export function logFileTail(stateDir: string, service: string, n: number): string[] {
  let text: string;
  try {
    text = readFileSync(logFileOf(stateDir, service), "utf8");
  } catch {
    return [];
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-Math.max(0, n)).map((line) => line.replace(FILE_PREFIX, ""));
}

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
