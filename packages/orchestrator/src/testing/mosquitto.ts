import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { closedPort } from "./http-server.ts";
import type { SelfSigned } from "./self-signed.ts";
import { waitFor } from "./wait.ts";

const run = promisify(execFile);

export interface TestBroker {
  port: number;
  close(): Promise<void>;
}

/**
 * A real Mosquitto of its own (the system binary) on a free port, with password authentication
 * and optionally TLS: the machine's shared broker allows anonymous clients, so a wrong password
 * can only be refused by one configured here.
 */
export async function startMosquitto(options: {
  users: Record<string, string>;
  tls?: SelfSigned;
  /** Mosquitto ACL file text (`user NAME` / `topic readwrite PATTERN` lines). */
  acl?: string;
}): Promise<TestBroker> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-mosquitto-"));
  // Mosquitto started as root drops to its own user, which must still read these files.
  await chmod(dir, 0o755);
  const port = await closedPort();
  const passwd = join(dir, "passwd");
  await writeFile(passwd, "", { mode: 0o644 });
  for (const [user, password] of Object.entries(options.users)) {
    await run("mosquitto_passwd", ["-b", passwd, user, password], { timeout: 10_000 });
  }
  await chmod(passwd, 0o644);
  const lines = [
    `listener ${port} 127.0.0.1`,
    "allow_anonymous false",
    `password_file ${passwd}`,
    "persistence false",
    "log_dest stderr",
  ];
  if (options.acl !== undefined) {
    await writeFile(join(dir, "acl"), options.acl, { mode: 0o644 });
    lines.push(`acl_file ${join(dir, "acl")}`);
  }
  if (options.tls) {
    await writeFile(join(dir, "cert.pem"), options.tls.cert, { mode: 0o644 });
    await writeFile(join(dir, "key.pem"), options.tls.key, { mode: 0o644 });
    lines.push(`certfile ${join(dir, "cert.pem")}`, `keyfile ${join(dir, "key.pem")}`);
  }
  await writeFile(join(dir, "mosquitto.conf"), `${lines.join("\n")}\n`, { mode: 0o644 });
  const child: ChildProcess = spawn("mosquitto", ["-c", join(dir, "mosquitto.conf")], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const up = await waitFor(() => listening(port), 10_000, 100);
  const close = async () => {
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    await rm(dir, { recursive: true, force: true });
  };
  if (!up) {
    await close();
    throw new Error(`mosquitto did not listen on 127.0.0.1:${port} within 10 s`);
  }
  return { port, close };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
