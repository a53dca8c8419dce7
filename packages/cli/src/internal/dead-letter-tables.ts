import type { DeadLetter, DeadLetterGroup } from "@glasswork/ops";
import { renderTable } from "./render-table.js";

/** Dead letters, one per row. */
export function deadLettersTable(letters: readonly DeadLetter[]): string {
  return renderTable(
    ["message id", "job", "reason", "attempt", "error", "dead-lettered at"],
    letters.map((d) => [
      d.messageId,
      d.jobName,
      d.reason,
      d.attempt,
      d.error,
      d.deadLetteredAt.toISOString(),
    ]),
  );
}

/** Dead-letter groups, largest first. */
export function deadLetterGroupsTable(groups: readonly DeadLetterGroup[]): string {
  return renderTable(
    ["count", "job", "reason", "error", "fingerprint", "first seen", "last seen"],
    groups.map((g) => [
      g.count,
      g.jobName,
      g.reason,
      g.error,
      g.fingerprint,
      g.firstSeen.toISOString(),
      g.lastSeen.toISOString(),
    ]),
  );
}

/** One dead letter in full, a field per row. */
export function deadLetterDetail(letter: DeadLetter): string {
  return renderTable(
    ["field", "value"],
    [
      ["message id", letter.messageId],
      ["job", letter.jobName],
      ["job id", letter.jobId],
      ["source queue", letter.sourceQueue],
      ["reason", letter.reason],
      ["error", letter.error],
      ["attempt", letter.attempt],
      ["receive count", letter.receiveCount],
      ["enqueued at", letter.enqueuedAt],
      ["dead-lettered at", letter.deadLetteredAt.toISOString()],
      ["fingerprint", letter.fingerprint],
      ["payload", JSON.stringify(letter.payload, null, 2)],
      ...Object.entries(letter.attributes).map(([k, v]) => [`attribute ${k}`, v]),
    ],
  );
}
