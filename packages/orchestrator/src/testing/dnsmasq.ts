import { type ChildProcess, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import { existsSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface TestDns {
  /** "127.0.0.1:<port>", as a dns check's `server`. */
  server: string;
  port: number;
  close(): Promise<void>;
}

const DNSMASQ = "/usr/sbin/dnsmasq";

/**
 * A real dnsmasq on 127.0.0.1 and a free high port, in the foreground as our child, serving only
 * the records in `args` (`--address=…`, `--txt-record=…`…). No system service, no upstream, no
 * /etc/hosts. Fails (never skips) when dnsmasq is missing: `.ci/run` installs it.
 */
export async function startDnsmasq(args: string[]): Promise<TestDns> {
  if (!existsSync(DNSMASQ))
    throw new Error(`${DNSMASQ} is missing: apt-get install dnsmasq-base (.ci/run does)`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), args);
    } catch (error) {
      // Lost the race for the port to another process: take another one.
      if (attempt >= 3 || !String(error).includes("Address already in use")) throw error;
    }
  }
}

async function startOn(port: number, args: string[]): Promise<TestDns> {
  const child = spawn(
    DNSMASQ,
    [
      "--no-daemon",
      `--port=${port}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--no-resolv",
      "--no-hosts",
      "--conf-file=/dev/null",
      // dnsmasq drops privileges to "nobody" by default; staying the current user keeps it a
      // plain child the test can kill.
      "--user=",
      ...args,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const server = `127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(server, child, () => stderr);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { server, port, close: () => stop(child) };
}

/**
 * A port free for both TCP and UDP right now (dnsmasq binds both). Another process may still take
 * it before dnsmasq does; startDnsmasq then tries another one.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = createServer();
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const { port } = tcp.address() as AddressInfo;
    const udp = createSocket("udp4");
    const free = await new Promise<boolean>((resolve) => {
      udp.once("error", () => resolve(false));
      udp.bind(port, "127.0.0.1", () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (free) return port;
  }
  throw new Error("no port free for both TCP and UDP on 127.0.0.1 after 20 tries");
}

async function waitUntilAnswering(server: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited (${child.exitCode}): ${stderr()}`);
    try {
      await resolver.resolve4("vigil-ready.invalid");
      return;
    } catch (error) {
      // Any DNS answer (REFUSED, NXDOMAIN) means it is up; silence or a closed port means not yet.
      const code = (error as { code?: string }).code;
      if (code !== "ETIMEOUT" && code !== "ECONNREFUSED") return;
      await sleep(100);
    }
  }
  throw new Error(`dnsmasq on ${server} did not answer within 10s: ${stderr()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
