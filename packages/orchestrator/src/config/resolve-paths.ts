import { isAbsolute, resolve } from "node:path";
import type { CheckSpec, Config } from "./schema.ts";

/**
 * Relative `cwd` values in the config mean "relative to the config file", not to wherever Vigil
 * was started, so an example directory works from anywhere. Process services without a `cwd`
 * run in the config file's directory. The typed config only ever holds absolute cwds.
 */
export function resolveWorkingDirs(config: Config, configDir: string): Config {
  const at = (dir: string | undefined) =>
    dir === undefined || isAbsolute(dir) ? dir : resolve(configDir, dir);
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, service]) => {
      const checks = service.checks.map((check) => resolveCheck(check, at));
      if (service.kind !== "process") return [name, { ...service, checks }];
      return [name, { ...service, checks, cwd: at(service.cwd ?? ".") }];
    }),
  );
  return { ...config, services };
}

function resolveCheck(check: CheckSpec, at: (dir: string | undefined) => string | undefined): CheckSpec {
  switch (check.kind) {
    case "command":
      return check.cwd === undefined ? check : { ...check, cwd: at(check.cwd) };
    case "composite":
      return { ...check, checks: check.checks.map((c) => resolveCheck(c, at)) };
    case "staged":
      return {
        ...check,
        stages: check.stages.map((stage) => ({ ...stage, check: resolveCheck(stage.check, at) })),
      };
    default:
      return check;
  }
}
