export { runCli } from "./cli.ts";
export type { CliInput, CliIo, CliOutput, MemoryIo } from "./io.ts";
export { memoryIo } from "./io.ts";
