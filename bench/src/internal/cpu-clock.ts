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
  const cpuBefore = cpuMicros();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  return { wallMs, cpuMs: (cpuMicros() - cpuBefore) / 1000 };
}

/** This process's CPU time so far (user + system), in µs. */
export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
