import { readFileSync } from "node:fs";
import Docker from "dockerode";
import type { DockerHostSpec } from "../config/hosts.ts";
import { dockerClient } from "./client.ts";

/*
 * One dockerode client per named Docker host, made on first use and kept: every probe, action,
 * log and stats stream of a service goes to its own engine, over one client.
 */

export interface DockerHosts {
  /** The client of `host`; the local engine's when `host` is undefined. */
  clientFor(host: string | undefined): Docker;
}

/** dockerode's options for one `hosts:` entry (certificate and key files are read here). */
export function dockerOptionsOf(spec: DockerHostSpec): Docker.DockerOptions {
  if ("socket" in spec) return { socketPath: spec.socket };
  if ("tcp" in spec) {
    const [host = "", port = ""] = spec.tcp.split(":");
    return spec.tls
      ? {
          protocol: "https",
          host,
          port: Number(port),
          ca: readFileSync(spec.tls.ca),
          cert: readFileSync(spec.tls.cert),
          key: readFileSync(spec.tls.key),
        }
      : { protocol: "http", host, port: Number(port) };
  }
  const match = /^(?:([\w.-]+)@)?([\w.-]+)(?::(\d+))?$/.exec(spec.ssh);
  return {
    protocol: "ssh",
    host: match?.[2] ?? spec.ssh,
    ...(match?.[3] === undefined ? {} : { port: Number(match[3]) }),
    ...(match?.[1] === undefined ? {} : { username: match[1] }),
    ...(spec.identity === undefined ? {} : { sshOptions: { privateKey: readFileSync(spec.identity) } }),
  };
}

export function createDockerHosts(
  hosts: Record<string, DockerHostSpec>,
  local: () => Docker = dockerClient,
): DockerHosts {
  const clients = new Map<string | undefined, Docker>();
  return {
    clientFor(host) {
      let client = clients.get(host);
      if (!client) {
        const spec = host === undefined ? undefined : hosts[host];
        if (host !== undefined && !spec) throw new Error(`unknown Docker host "${host}"`);
        client = spec ? new Docker(dockerOptionsOf(spec)) : local();
        clients.set(host, client);
      }
      return client;
    },
  };
}
