import { PermanentJobError } from "./errors.js";

/** Why a claimed payload cannot be read: none of these gets better by retrying. */
export type ClaimedPayloadProblem =
  /** The object does not exist (deleted, expired by a lifecycle rule, never written). */
  | "missing"
  /** The reference points somewhere this worker's store would never have written: not fetched. */
  | "refused"
  /** The object is not what the claim's size and SHA-256 say, or not JSON. */
  | "corrupt";

/**
 * A claimed payload that can never be read: the job is dead-lettered at once (it is a
 * {@link PermanentJobError}), with the message body, and so the reference, unchanged.
 */
export class ClaimedPayloadError extends PermanentJobError {
  readonly problem: ClaimedPayloadProblem;
  /** Where the claim points, e.g. `s3://bucket/key`. */
  readonly location: string;

  constructor(
    problem: ClaimedPayloadProblem,
    location: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ClaimedPayloadError";
    this.problem = problem;
    this.location = location;
  }
}
