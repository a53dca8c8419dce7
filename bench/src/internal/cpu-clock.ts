/** Wall time and this process's CPU time (user + system) of one measured run, in ms. */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Times `run` by the monotonic clock and by `process.cpuUsage`. CPU time is what a busy machine
 * disturbs least: another process takes the core away without adding to ours.
 */
export async function timeCpu(run: () => Promise<unknown>): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}
