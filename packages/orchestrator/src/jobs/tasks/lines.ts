/** Splits a byte stream into lines for a task's log; `flush` hands over the unterminated rest. */
export function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let partial = "";
  return {
    push(chunk) {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) emit(line);
    },
    flush() {
      if (partial) emit(partial);
      partial = "";
    },
  };
}
