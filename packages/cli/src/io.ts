/*
 * Everything the CLI touches of its surroundings, passed in rather than read from `process` so
 * `runCli` can run in-process under test with captured output and a chosen environment.
 */

export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
}

export interface CliInput {
  readonly isTTY?: boolean | undefined;
  setRawMode?(mode: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin?: CliInput | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands (start, logs -f, watch) end cleanly. */
  signal?: AbortSignal | undefined;
}

/** An io that records output, for tests. */
export interface MemoryIo extends CliIo {
  out(): string;
  err(): string;
}

export function memoryIo(
  opts: Partial<Pick<CliIo, "env" | "cwd" | "signal" | "stdin">> & { tty?: boolean } = {},
): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (text: string) => out.push(text), isTTY: opts.tty ?? false, columns: 100, rows: 40 },
    stderr: { write: (text: string) => err.push(text), isTTY: false },
    stdin: opts.stdin,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    signal: opts.signal,
    out: () => out.join(""),
    err: () => err.join(""),
  };
}
