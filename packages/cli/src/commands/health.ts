import type { CheckSpec, Config, ServiceSnapshot } from "@vigil/orchestrator";
import type { Command } from "commander";
import type { Cli } from "../cli.ts";
import type { CommandContext } from "../context.ts";
import { EXIT } from "../exit.ts";
import { observe } from "../observe.ts";
import { remoteHealth } from "../remote/views.ts";
import { paintStatus } from "../ui/color.ts";
import { detailLines } from "../ui/details.ts";
import { formatLatency } from "../ui/format.ts";

interface HealthOptions {
  deep?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command("health")
    .description("run every check once, in parallel, and print each result (exit 0 only if all are healthy)")
    .option("--deep", "also show details: health document dependencies and resources, staged ladders")
    .option("--json", "print the services' check results as JSON")
    .action((options: HealthOptions, command: Command) =>
      cli.withServer(
        command,
        // The server's latest results: it runs the checks continuously, no need to run them again.
        (server, palette) => remoteHealth(cli.io, palette, server, options.json === true),
        async (ctx) => health(ctx, options),
      ),
    );
}

/**
 * Every configured check has a result and it is healthy. A check with no result (the monitor
 * did not answer in time) counts as a failure; a service without checks cannot fail.
 */
export function allHealthy(config: Config, services: ServiceSnapshot[]): boolean {
  return services.every((s) => {
    const configured = config.services[s.name]?.checks.length ?? 0;
    return s.checks.length >= configured && s.checks.every((check) => check.last?.status === "healthy");
  });
}

async function health(ctx: CommandContext, options: HealthOptions): Promise<number> {
  const services = [...(await observe(ctx))].sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  if (options.json) {
    const checks = services.map((s) => ({ service: s.name, status: s.status, checks: s.checks }));
    // The JSON form is for scripts: same verdict, same exit code.
    ctx.io.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
  } else {
    printHealth(ctx, services, options.deep === true);
  }
  return allHealthy(ctx.config, services) ? EXIT.ok : EXIT.failed;
}

function printHealth(ctx: CommandContext, services: ServiceSnapshot[], deep: boolean): void {
  const { palette } = ctx;
  const nameWidth = Math.max(...services.map((s) => s.name.length));
  const checkWidth = Math.max(
    5,
    ...services.flatMap((s) => s.checks.map((c) => c.name.length)),
    ...Object.values(ctx.config.services).flatMap((s) => s.checks.map((c) => (c.name ?? c.kind).length)),
  );
  let healthy = 0;
  let total = 0;
  for (const service of services) {
    const specs: CheckSpec[] = ctx.config.services[service.name]?.checks ?? [];
    if (specs.length === 0) {
      ctx.io.stdout.write(
        `${palette.dim("-")} ${service.name.padEnd(nameWidth)}  ${palette.dim("no checks")}\n`,
      );
      continue;
    }
    specs.forEach((spec, index) => {
      total += 1;
      const check = service.checks[index];
      const result = check?.last;
      const name = check?.name ?? spec.name ?? spec.kind;
      const status = result?.status ?? "unknown";
      if (status === "healthy") healthy += 1;
      const mark =
        status === "healthy"
          ? palette.green("✓")
          : status === "degraded"
            ? palette.yellow("!")
            : palette.red("✗");
      const state = paintStatus(palette, status) + " ".repeat(Math.max(0, 9 - status.length));
      const latency = formatLatency(result?.latencyMs).padStart(8);
      const message = result?.message ?? "no result within the time allowed";
      ctx.io.stdout.write(
        `${mark} ${service.name.padEnd(nameWidth)}  ${name.padEnd(checkWidth)}  ${state} ${latency}  ${message}\n`,
      );
      if (deep && result) {
        const stageNames = spec.kind === "staged" ? spec.stages.map((s) => s.name) : [];
        for (const line of detailLines(result, palette, stageNames)) ctx.io.stdout.write(`      ${line}\n`);
      }
    });
  }
  const summary = `${healthy}/${total} checks healthy`;
  ctx.io.stdout.write(`\n${healthy === total ? palette.green(summary) : palette.red(summary)}\n`);
}
