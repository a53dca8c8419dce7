import { toAcceptedText, truncateDeadLetterError } from "@glasswork/core/internal";

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
  return truncateDeadLetterError(toAcceptedText(parts.join("; caused by ")));
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
