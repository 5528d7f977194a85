import type { Command } from "commander";
import { z } from "zod";
import type { Cli } from "../cli.ts";
import { EXIT, UsageError } from "../exit.ts";
import type { CliIo } from "../io.ts";
import { api } from "../remote/client.ts";
import { saveToken } from "../remote/credentials.ts";
import { loginForToken } from "../remote/login-flow.ts";

interface LoginOptions {
  user?: string;
  token?: string;
  scope: "read" | "operate" | "admin";
  days: string;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("login")
    .description("save an API token for a Vigil server (in $XDG_CONFIG_HOME/vigil, mode 0600)")
    .option(
      "-u, --user <name>",
      "sign in as this user (password typed, unechoed, or piped, or $VIGIL_PASSWORD) and create a token",
    )
    .option(
      "--token <token>",
      "save this token (created under Account → API tokens) instead; '-' reads stdin",
    )
    .option("--scope <scope>", "scope of the created token: read, operate or admin", "operate")
    .option("--days <n>", "days until the created token expires (1-366)", "90")
    .action((options: LoginOptions, command: Command) => cli.run(() => login(cli.io, command, options)));
}

async function login(io: CliIo, command: Command, options: LoginOptions): Promise<number> {
  const url = command.optsWithGlobals<{ server?: string }>().server || io.env.VIGIL_SERVER;
  if (!url) throw new UsageError("login needs --server URL (or VIGIL_SERVER)");
  const server = new URL(url).href;
  let token = options.token === "-" ? (await readLine(io)).trim() : options.token;
  if (!token) {
    if (!options.user) throw new UsageError("login needs --user NAME (password on stdin) or --token TOKEN");
    const password =
      io.env.VIGIL_PASSWORD ||
      (await readLine(io, { prompt: `password for ${options.user}: `, hidden: true }));
    if (!password) throw new UsageError("no password: pipe it on stdin or set VIGIL_PASSWORD");
    const scope = z.enum(["read", "operate", "admin"]).parse(options.scope);
    const days = Number(options.days);
    if (!Number.isInteger(days) || days < 1 || days > 366)
      throw new UsageError("--days: a whole number from 1 to 366");
    const created = await loginForToken({
      url: server,
      username: options.user,
      password,
      scope,
      days,
      signal: io.signal,
    });
    token = created.token;
    io.stdout.write(`created a "${created.scope}" token, expires ${created.expiresAt}\n`);
  }
  // Prove the token works before keeping it.
  await api({ url: server, token, source: "--server" }, "GET", "/api/services", z.unknown(), {
    signal: io.signal,
  });
  const path = await saveToken(io.env, server, token);
  io.stdout.write(`logged in to ${new URL(server).origin}; token saved in ${path}\n`);
  return EXIT.ok;
}

/**
 * The first line of stdin. On a terminal with `hidden` the typing is not echoed (a password);
 * Ctrl-C gives up. A pipe must end the line with a newline, or the read ends after 30 s.
 */
async function readLine(io: CliIo, opts: { prompt?: string; hidden?: boolean } = {}): Promise<string> {
  const input = io.stdin;
  if (!input) return "";
  const raw = opts.hidden === true && input.isTTY === true && input.setRawMode !== undefined;
  if (opts.prompt && input.isTTY) io.stderr.write(opts.prompt);
  return new Promise((resolve) => {
    let text = "";
    const done = (value: string) => {
      clearTimeout(timer);
      input.off("data", onData);
      if (raw) {
        input.setRawMode?.(false);
        io.stderr.write("\n");
      }
      input.pause();
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === "\n" || ch === "\r") return done(text);
        if (raw && ch === "\u0003") return done(""); // Ctrl-C
        if (raw && (ch === "\u007f" || ch === "\b")) text = text.slice(0, -1);
        else text += ch;
      }
    };
    const timer = setTimeout(() => done(text), input.isTTY ? 300_000 : 30_000);
    if (raw) input.setRawMode?.(true);
    input.on("data", onData);
    input.resume();
  });
}
