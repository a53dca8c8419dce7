/**
 * Seconds a message whose earlier run is still going is hidden again. Long enough that the
 * message does not churn through receives (each one counts towards the queue's
 * `maxReceiveCount`), short enough that it runs soon after that run settles.
 */
export const STILL_RUNNING_RELEASE_SECONDS = 10;

/**
 * The messages of this instance whose handler was given up at a deadline but still runs. In
 * Lambda such a handler is frozen with the invocation and resumes with the next one: when the
 * retry lands on the same container, running it again would run the job twice at once. The
 * poller keeps such messages hidden instead (see hold-while-running), so only Lambda uses this.
 */
export class GivenUpRuns {
  readonly #running = new Set<string>();

  /** Remembers the message until `running` settles (it never rejects: see run-handler). */
  add(messageId: string, running: Promise<unknown>): void {
    this.#running.add(messageId);
    void running.then(() => this.#running.delete(messageId));
  }

  /** True while the message's given-up handler still runs. */
  has(messageId: string): boolean {
    return this.#running.size > 0 && this.#running.has(messageId);
  }
}
