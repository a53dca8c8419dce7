import { type Duration, toSeconds } from "@glasswork/core";
import { InvalidArgumentError } from "commander";

/** Commander parser for `--delay`: `"10m"`, `"2h"`, `"1d"`, `"30s"`, or seconds. */
export function duration(value: string): Duration {
  const parsed: Duration = /^\d+(\.\d+)?$/.test(value) ? Number(value) : (value as Duration);
  try {
    toSeconds(parsed);
  } catch {
    throw new InvalidArgumentError(
      `expected a duration such as 30s, 10m, 2h or 1d, got "${value}"`,
    );
  }
  return parsed;
}
