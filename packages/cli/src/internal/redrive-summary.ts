import type { RedriveResult } from "@glasswork/ops";

/** One paragraph on what a redrive did, or with a dry run would do. */
export function redriveSummary(queue: string, result: RedriveResult, dryRun: boolean): string {
  const { skipped } = result;
  const left = [
    [skipped.arrivedAfterStart, "dead-lettered after the start"],
    [skipped.otherQueue, "of other queues"],
    [skipped.unknownSource, "without a known source queue"],
    [skipped.filtered, "not matching the filters"],
    [skipped.overLimit, "over the limit"],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, why]) => `${count} ${why}`);
  const head = dryRun
    ? `would move ${result.wouldMove.length} dead letters back to "${queue}"`
    : `moved ${result.moved} dead letters back to "${queue}" in ${(result.durationMs / 1000).toFixed(1)} s`;
  return [
    `${head} (the dead-letter queue held ${result.depthAtStart} at the start)`,
    ...(result.failed > 0
      ? [`${result.failed} could not be sent back and stay dead-lettered`]
      : []),
    ...(left.length > 0 ? [`left in the dead-letter queue: ${left.join(", ")}`] : []),
  ].join("\n");
}
