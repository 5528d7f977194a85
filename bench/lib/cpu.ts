/** CPU time this process used over a window, as % of one core (100 = one core fully busy). */
export function startCpuMeter(): () => { cpuPercent: number; wallMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const used = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    return { cpuPercent: ((used.user + used.system) / 1000 / wallMs) * 100, wallMs };
  };
}
