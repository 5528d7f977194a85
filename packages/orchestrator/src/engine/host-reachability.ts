import type Docker from "dockerode";
import type { Config } from "../config/schema.ts";
import { watchHosts } from "../docker/host-watch.ts";
import type { Runtime } from "../lifecycle/types.ts";

/*
 * What the engine does with Docker hosts that stop answering (issue 16): their docker services are
 * marked (the monitor derives `host-unreachable`), their restart policy holds, and when a host
 * answers again its services are attached anew, as on a Vigil restart — an exit that happened
 * meanwhile is seen then, and the policy applies on that same host.
 */

export interface HostReachabilityDeps {
  config: () => Config;
  clientFor: (host: string | undefined) => Docker;
  setRuntime: (service: string, runtime: Runtime) => void;
  /** Attaches a service again (engine's attach of one service). */
  reattach: (service: string) => void;
  isBusy: (service: string) => boolean;
}

export interface HostReachability {
  /** Whether the Docker host of `service` does not answer now (false for non-docker services). */
  unreachable(service: string): boolean;
  /** Marks every docker service as its host is now (after a config reload). */
  mark(): void;
  close(): void;
}

export function trackHosts(deps: HostReachabilityDeps): HostReachability {
  /** Hosts that do not answer their pings, with why; absent = answers. */
  const down = new Map<string | undefined, string>();
  // Listed again only when the config object changes (a reload): the watch asks every 5 s, and
  // scanning 10,000 services each time showed in the scale profile.
  let listed: { config: Config; services: (readonly [string, string | undefined])[] } | undefined;
  const dockerServices = () => {
    const config = deps.config();
    if (listed?.config !== config) {
      const services = Object.entries(config.services).flatMap(([name, svc]) =>
        svc.kind === "docker" ? [[name, svc.host] as const] : [],
      );
      listed = { config, services };
    }
    return listed.services;
  };
  const mark = () => {
    for (const [name, host] of dockerServices()) deps.setRuntime(name, { hostUnreachable: down.get(host) });
  };
  const watch = watchHosts({
    hosts: () => dockerServices().map(([, host]) => host),
    clientFor: deps.clientFor,
    onChange: (host, error) => {
      if (error === undefined) down.delete(host);
      else down.set(host, error);
      mark();
      if (error !== undefined) return;
      for (const [name, on] of dockerServices()) if (on === host && !deps.isBusy(name)) deps.reattach(name);
    },
  });
  return {
    unreachable(service) {
      const svc = deps.config().services[service];
      return svc?.kind === "docker" && down.has(svc.host);
    },
    mark,
    close: () => watch.close(),
  };
}
