import { JobError } from "@glasswork/core";

/**
 * A redrive stopped because messages sent back to their queue could not be removed from the
 * dead-letter queue: they now sit in both. Look before redriving again.
 */
export class RedriveIncompleteError extends JobError {
  /** Messages moved before the failure (the ones in both queues included). */
  readonly moved: number;
  /** Messages that could not be sent back. */
  readonly failed: number;

  constructor(moved: number, failed: number, cause: unknown) {
    super(
      "REDRIVE_INCOMPLETE",
      `Redrive stopped: ${moved} messages were sent back, but the last of them could not be deleted from the dead-letter queue and are now in both queues`,
      { cause },
    );
    this.name = "RedriveIncompleteError";
    this.moved = moved;
    this.failed = failed;
  }
}

/** A destructive operation was called without the confirmation it asks for. */
export class ConfirmationRequiredError extends JobError {
  constructor(action: string, expected: string) {
    super(
      "CONFIRMATION_REQUIRED",
      `${action} deletes dead letters for good: pass { confirm: ${JSON.stringify(expected)} } to go ahead`,
    );
    this.name = "ConfirmationRequiredError";
  }
}
