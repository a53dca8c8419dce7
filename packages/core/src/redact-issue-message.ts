/** What a redacted received value becomes in an issue message. */
export const REDACTED = "[redacted]";

// "…but received "4111 1111 1111 1111"" (valibot), "…, received 42" (zod), "(was "x")" (arktype).
const RECEIVED = /(\breceived:?\s+|\(was\s+)(.*?)(\)?)$/is;
// A bare type or literal keyword (`number`, `Object`, `null`, `true`) names a type, not a secret.
const TYPE_WORD = /^[A-Za-z]{1,16}$/;

/**
 * Removes the received value that schema libraries quote at the end of an issue message, so
 * that payload contents (card numbers, tokens) never reach logs or dead-letter attributes. The
 * expectation ("Expected string") and the received type word (`number`) are kept.
 *
 * @example
 * redactIssueMessage('Invalid type: Expected number but received "4111 1111"');
 * // 'Invalid type: Expected number but received [redacted]'
 */
export function redactIssueMessage(message: string): string {
  return message.replace(RECEIVED, (whole, lead: string, value: string, close: string) =>
    TYPE_WORD.test(value.trim()) ? whole : `${lead}${REDACTED}${close}`,
  );
}
