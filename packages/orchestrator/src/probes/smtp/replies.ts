import type { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";

/** One SMTP reply: its code and the text of each line (without the "250-" prefixes). */
export interface SmtpReply {
  code: number;
  lines: string[];
}

const LINE = /^(\d{3})([ -])(.*)$/;
/** A reply longer than this is not an SMTP server talking: stop reading rather than buffer it. */
const MAX_BUFFER = 64 * 1024;

/**
 * Reads SMTP replies off a socket, one `next()` per reply (multi-line replies joined). Anything
 * that is not `NNN-text` / `NNN text` fails the read with what was seen, so a non-SMTP service on
 * the port is reported as such.
 */
export class SmtpReplies {
  private buffer = "";
  private lines: string[] = [];
  private waiting: { resolve: (reply: SmtpReply) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  private readonly decoder = new StringDecoder("utf8");
  private readonly onData = (chunk: Buffer) => this.take(this.decoder.write(chunk));
  private readonly onError = (error: Error) => this.fail(error);
  private readonly onClose = () => this.fail(new Error("connection closed by the server"));

  constructor(private readonly socket: Socket) {
    socket.on("data", this.onData);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
  }

  /** Stops reading (before STARTTLS hands the socket to TLS, whose replies get a reader of their own). */
  detach(): void {
    this.socket.off("data", this.onData);
    this.socket.off("error", this.onError);
    this.socket.off("close", this.onClose);
    // The socket still needs an error listener: an unhandled one would crash the process.
    this.socket.on("error", () => {});
  }

  /** The next reply; replies that arrived before the connection closed are still returned. */
  next(): Promise<SmtpReply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.drain();
      if (this.failure) this.rejectWaiting();
    });
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > MAX_BUFFER) this.fail(new Error("reply too long for SMTP"));
    else this.drain();
  }

  private drain(): void {
    let end = this.buffer.indexOf("\n");
    while (end >= 0 && this.waiting) {
      const line = this.buffer.slice(0, end).replace(/\r$/, "");
      this.buffer = this.buffer.slice(end + 1);
      const match = LINE.exec(line);
      if (!match) {
        this.failure ??= new Error(`not an SMTP reply: ${JSON.stringify(line.slice(0, 80))}`);
        this.buffer = "";
        this.rejectWaiting();
        return;
      }
      this.lines.push(match[3] ?? "");
      if (match[2] === " ") {
        const reply = { code: Number(match[1]), lines: this.lines };
        this.lines = [];
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting.resolve(reply);
      }
      end = this.buffer.indexOf("\n");
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.buffer = this.buffer.length > MAX_BUFFER ? "" : this.buffer;
    this.drain();
    this.rejectWaiting();
  }

  private rejectWaiting(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting && this.failure) waiting.reject(this.failure);
  }
}
