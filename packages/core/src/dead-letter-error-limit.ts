/**
 * The longest error text that travels with a dead-lettered message (`glasswork.dlq.error`), in
 * UTF-16 code units, an ellipsis included. One cap for the worker, which writes the text, and the
 * drivers, which store it.
 */
export const DEAD_LETTER_ERROR_MAX_LENGTH = 1_024;

/**
 * `text` cut to {@link DEAD_LETTER_ERROR_MAX_LENGTH}, ending with an ellipsis when cut, and never
 * on half a surrogate pair (a lone surrogate is a character SQS refuses).
 */
export function truncateDeadLetterError(text: string): string {
  if (text.length <= DEAD_LETTER_ERROR_MAX_LENGTH) return text;
  let cut = text.slice(0, DEAD_LETTER_ERROR_MAX_LENGTH - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
