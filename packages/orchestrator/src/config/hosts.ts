import { z } from "zod";
import type { Config } from "./schema.ts";
import type { SchemaProblem } from "./zod-issues.ts";

/*
 * Docker engines by name (`hosts:` at the top of vigil.yaml, issue 16): a docker service with
 * `host: <name>` runs, is probed and streams its logs and stats there. Without `host:` a service
 * uses the local engine (DOCKER_HOST or /var/run/docker.sock), as before.
 */

const file = z.string().min(1);

export const DockerHost = z.union([
  z
    .strictObject({
      socket: z.string().regex(/^\//, "an absolute path to the engine's unix socket"),
    })
    .describe("A local engine's unix socket."),
  z
    .strictObject({
      tcp: z.string().regex(/^[\w.-]+:\d{1,5}$/, 'use "host:port", e.g. "10.0.0.5:2376"'),
      /** Client certificate and the CA that signed the engine's (Docker's --tlsverify setup). */
      tls: z.strictObject({ ca: file, cert: file, key: file }).optional(),
    })
    .describe("An engine over TCP; without tls anyone who reaches the port is root on that host."),
  z
    .strictObject({
      ssh: z.string().regex(/^([\w.-]+@)?[\w.-]+(:\d{1,5})?$/, 'use "user@host[:port]"'),
      /** Private key file; without it the SSH agent (SSH_AUTH_SOCK) is used. */
      identity: file.optional(),
    })
    .describe("An engine reached over SSH (docker system dial-stdio on the remote side)."),
]);
export type DockerHostSpec = z.output<typeof DockerHost>;

/** A `host:` naming no entry of `hosts:`, located at that `host:`. */
export function hostProblems(config: Config): SchemaProblem[] {
  const known = Object.keys(config.hosts);
  return Object.entries(config.services).flatMap(([name, service]) =>
    service.kind === "docker" && service.host !== undefined && !known.includes(service.host)
      ? [
          {
            path: ["services", name, "host"],
            atKey: false,
            message: `unknown host "${service.host}" (${known.length === 0 ? "no hosts: are defined" : `hosts: ${known.join(", ")}`})`,
          },
        ]
      : [],
  );
}
