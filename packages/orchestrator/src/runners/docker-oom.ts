import type Docker from "dockerode";
import { formatLimit } from "./process-limits.ts";

/** How long an exit may wait for the inspect that tells whether the kernel OOM-killed it. */
const INSPECT_TIMEOUT_MS = 2_000;

/**
 * Whether a container that just exited was killed by the kernel's OOM killer (State.OOMKilled),
 * and with what limit; undefined when not, or when Docker does not answer in time.
 */
export async function containerOom(
  container: Docker.Container,
): Promise<{ reason: string; limitBytes: number } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      container.inspect(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), INSPECT_TIMEOUT_MS);
      }),
    ]);
    if (!info?.State.OOMKilled) return undefined;
    const limitBytes = info.HostConfig.Memory ?? 0;
    return { reason: containerOomReason(limitBytes), limitBytes };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** "killed: out of memory, limit 16 MiB (kernel OOM killer)": one wording for every OOM-killed container. */
export function containerOomReason(limitBytes: number): string {
  const limit = limitBytes > 0 ? `, limit ${formatLimit(limitBytes)}` : " of the host";
  return `killed: out of memory${limit} (kernel OOM killer)`;
}
