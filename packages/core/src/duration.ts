/** A duration: a number of seconds, or a string such as `"30s"`, `"10m"`, `"2h"` or `"3d"`. */
export type Duration = number | `${number}${"s" | "m" | "h" | "d"}`;

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const PATTERN = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;

/**
 * Converts a {@link Duration} to seconds.
 *
 * @example
 * toSeconds("10m"); // 600
 * toSeconds(45);    // 45
 */
export function toSeconds(duration: Duration): number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new RangeError(`A duration must be a finite number of seconds >= 0, got ${duration}`);
    }
    return duration;
  }
  const match = PATTERN.exec(duration);
  if (!match) {
    throw new RangeError(
      `Invalid duration "${duration}": use seconds or a string like "30s", "10m", "2h", "3d"`,
    );
  }
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}
