import { MAX_VISIBILITY_TIMEOUT_SECONDS } from "@glasswork/core";

/** A visibility timeout SQS accepts: whole seconds from 0 to 12 hours. */
export function clampVisibility(seconds: number): number {
  return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(0, Math.ceil(seconds)));
}
