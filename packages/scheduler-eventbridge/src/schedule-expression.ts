/**
 * The one-time expression for `runAt`: `at(yyyy-mm-ddThh:mm:ss)`, to be read in UTC. The
 * scheduler counts whole seconds, so the time is rounded up: a job never fires early.
 *
 * @example
 * atExpression(new Date("2026-12-01T10:00:00.250Z")); // "at(2026-12-01T10:00:01)"
 */
export function atExpression(runAt: Date): string {
  const ms = runAt.getTime();
  if (Number.isNaN(ms)) throw new RangeError("atExpression needs a valid Date");
  return `at(${new Date(Math.ceil(ms / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/** The time of an `at(…)` expression read in UTC, or `undefined` for any other expression. */
export function parseAtExpression(expression: string): Date | undefined {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!match) return undefined;
  const date = new Date(`${match[1]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
