export { type DeadLetter, describeDeadLetter } from "./dead-letter.js";
export {
  belongsTo,
  type DeadLetterFilter,
  matchesFilter,
  type SourceOptions,
  sourceOf,
  type UnknownSource,
} from "./dead-letter-filter.js";
export {
  type DeleteDeadLettersOptions,
  type DeleteDeadLettersResult,
  deleteDeadLetters,
} from "./delete-dead-letters.js";
export {
  DOCTOR_CHECKS,
  type DoctorOptions,
  type DoctorReport,
  doctor,
} from "./doctor/doctor.js";
export type { DoctorCheck, DoctorFinding, QueueFacts, WorkerFacts } from "./doctor/finding.js";
export { ConfirmationRequiredError, RedriveIncompleteError } from "./errors.js";
export { type FingerprintParts, fingerprintOf, normaliseErrorMessage } from "./fingerprint.js";
export { type DeadLetterGroup, groupDeadLetters } from "./group-dead-letters.js";
export type { ReceiveWindowOptions } from "./internal/receive-window.js";
export {
  type DeadLetterListing,
  type ListDeadLettersOptions,
  listDeadLetters,
} from "./list-dead-letters.js";
export { type QueueReport, queueStats } from "./queue-stats.js";
export {
  type RedriveOptions,
  type RedriveProgress,
  type RedriveResult,
  type RedriveSkipped,
  redriveDeadLetters,
} from "./redrive-dead-letters.js";
