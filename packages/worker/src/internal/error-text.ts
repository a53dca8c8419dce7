import { truncateDeadLetterError } from "@glasswork/core/internal";

// Escape sequences (colours, cursor moves) as a whole: dropping only ESC would leave "[31m".
const ANSI_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// What SQS accepts in attribute values and bodies: #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD
// #x10000–#x10FFFF. With the `u` flag a lone surrogate is one code point outside these ranges.
const NOT_SQS_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * The text of an error for the dead-letter details: `name: message` along the cause chain
 * (for a RetryExhaustedError the cause is the last failure), with only characters SQS accepts —
 * a NUL or a colour code in an error would make the move fail, and the job re-run on every
 * receive — and at most `DEAD_LETTER_ERROR_MAX_LENGTH` long.
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    parts.push(
      current instanceof Error ? `${current.name}: ${current.message}` : safeString(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return truncateDeadLetterError(sqsText(parts.join("; caused by ")));
}

/** `text` with escape sequences removed and every character SQS refuses replaced by U+FFFD. */
export function sqsText(text: string): string {
  return text.replace(ANSI_ESCAPE, "").replace(NOT_SQS_TEXT, "\uFFFD");
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
