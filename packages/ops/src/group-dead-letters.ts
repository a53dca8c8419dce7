import type { DeadLetterReason } from "@glasswork/core";
import { type DeadLetter, normalisedError } from "./dead-letter.js";

/** Dead letters that failed the same way (one fingerprint). */
export interface DeadLetterGroup {
  readonly fingerprint: string;
  readonly jobName: string | undefined;
  readonly reason: DeadLetterReason | undefined;
  /** The normalised error message the group shares. */
  readonly error: string;
  /** One full error message of the group, as a sample. */
  readonly sampleError: string | undefined;
  readonly count: number;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** The group's message ids, oldest first. */
  readonly messageIds: readonly string[];
}

/**
 * Groups dead letters by fingerprint (job name + reason + normalised error), largest group
 * first, then the most recent.
 *
 * @example
 * // given: driver
 * const { letters } = await listDeadLetters(driver, "default");
 * for (const g of groupDeadLetters(letters)) console.log(g.count, g.jobName, g.error);
 */
export function groupDeadLetters(letters: readonly DeadLetter[]): DeadLetterGroup[] {
  const byFingerprint = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const group = byFingerprint.get(letter.fingerprint);
    if (group) group.push(letter);
    else byFingerprint.set(letter.fingerprint, [letter]);
  }
  return [...byFingerprint.entries()]
    .map(([fingerprint, group]): DeadLetterGroup => {
      const sorted = [...group].sort(
        (a, b) => a.deadLetteredAt.getTime() - b.deadLetteredAt.getTime(),
      );
      const first = sorted[0] as DeadLetter;
      const last = sorted[sorted.length - 1] as DeadLetter;
      return {
        fingerprint,
        jobName: first.jobName,
        reason: first.reason,
        error: normalisedError(first),
        sampleError: last.error,
        count: sorted.length,
        firstSeen: first.deadLetteredAt,
        lastSeen: last.deadLetteredAt,
        messageIds: sorted.map((letter) => letter.messageId),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime());
}
