/**
 * Bad usage or input that the user can fix: printed as one line, exit code 2.
 *
 * @example
 * throw new UsageError('unknown queue "billing" (configured: default, emails)');
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
