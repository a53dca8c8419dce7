import type { AnyJobDefinition, DeadLetterReason } from "@glasswork/core";
import type { DeadLetter } from "./dead-letter.js";

/** Which dead letters an operation applies to; every field given must match. */
export interface DeadLetterFilter {
  /** Job name, or several. */
  readonly jobName?: string | readonly string[];
  /** Dead-letter reason, or several. */
  readonly reason?: DeadLetterReason | readonly DeadLetterReason[];
  /** A fingerprint from {@link groupDeadLetters} or `DeadLetter.fingerprint`. */
  readonly fingerprint?: string;
  /** Message ids. */
  readonly messageId?: string | readonly string[];
}

/** How dead letters whose message does not name its source queue are treated. */
export type UnknownSource = "include" | "skip";

/** Options that decide which source queue a dead letter belongs to. */
export interface SourceOptions {
  /**
   * Messages moved by SQS's own redrive policy (crashes, `maxReceiveCount`) carry no source of
   * ours. With `jobs`, their job's queue decides; otherwise `"skip"` (the default) leaves them
   * alone — safe for a dead-letter queue shared by several queues — and `"include"` treats them
   * as the queue's own (one queue per dead-letter queue).
   */
  readonly unknownSource?: UnknownSource;
  /** Job definitions: a dead letter without a source belongs to its job's queue. */
  readonly jobs?: readonly AnyJobDefinition[];
  /** Other names the source queue goes by in dead letters (e.g. its physical name). */
  readonly queueAliases?: readonly string[];
}

/** True when `letter` passes every field of `filter`. */
export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter = {}): boolean {
  return (
    oneOf(filter.jobName, letter.jobName) &&
    oneOf(filter.reason, letter.reason) &&
    oneOf(filter.messageId, letter.messageId) &&
    (filter.fingerprint === undefined || filter.fingerprint === letter.fingerprint)
  );
}

/** Whether `letter` came from `queue`: `"yes"`, `"no"`, or `"unknown"` (it cannot tell). */
export function sourceOf(
  letter: DeadLetter,
  queue: string,
  options: SourceOptions = {},
): "yes" | "no" | "unknown" {
  const names = new Set([queue, ...(options.queueAliases ?? [])]);
  if (letter.sourceQueue !== undefined) return names.has(letter.sourceQueue) ? "yes" : "no";
  const job = options.jobs?.find((j) => j.name === letter.jobName);
  if (job) return names.has(job.queue) ? "yes" : "no";
  return "unknown";
}

/** True when `letter` belongs to `queue` under the source options. */
export function belongsTo(letter: DeadLetter, queue: string, options: SourceOptions = {}): boolean {
  const source = sourceOf(letter, queue, options);
  return source === "yes" || (source === "unknown" && options.unknownSource === "include");
}

function oneOf<T>(wanted: T | readonly T[] | undefined, value: T | undefined): boolean {
  if (wanted === undefined) return true;
  if (value === undefined) return false;
  return Array.isArray(wanted) ? wanted.includes(value) : wanted === value;
}
