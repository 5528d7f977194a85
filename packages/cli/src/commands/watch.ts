import type { Command } from "commander";
import type { Cli } from "../cli.ts";
export function register(_program: Command, _cli: Cli): void {}
