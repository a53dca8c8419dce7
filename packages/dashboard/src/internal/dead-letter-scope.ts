import type { DeadLetterFilter } from "@glasswork/ops";

/** Which dead letters a confirm page or an action applies to, read from a query or a form. */
export interface DeadLetterScope {
  readonly filter: DeadLetterFilter;
  /** Hidden fields that carry it through the confirm form. */
  readonly fields: Record<string, string>;
}

const ID = /^[\w.:=+/-]{1,200}$/;

/**
 * Reads `fingerprint` or `messageId` (one, or neither for "all"); `undefined` when a value is
 * malformed, so that a typo never widens a delete into a purge.
 */
export function deadLetterScope(input: Record<string, unknown>): DeadLetterScope | undefined {
  const { fingerprint, messageId } = input;
  if (fingerprint !== undefined && fingerprint !== "") {
    if (typeof fingerprint !== "string" || !ID.test(fingerprint)) return undefined;
    return { filter: { fingerprint }, fields: { fingerprint } };
  }
  if (messageId !== undefined && messageId !== "") {
    if (typeof messageId !== "string" || !ID.test(messageId)) return undefined;
    return { filter: { messageId }, fields: { messageId } };
  }
  return { filter: {}, fields: {} };
}

/** "the 3 dead letters of group 3f2a9c…", for confirm pages and task titles. */
export function describeScope(scope: DeadLetterScope, count?: number): string {
  const n = count === undefined ? "" : `${count} `;
  if (scope.fields.fingerprint) return `the ${n}dead letters of group ${scope.fields.fingerprint}`;
  if (scope.fields.messageId) return `dead letter ${scope.fields.messageId}`;
  return `all ${n}dead letters`;
}
