// `@glasswork/core/internal`: what the sibling packages (worker, drivers, add-ons) share and users
// do not need. Not public: no semver promise, names change in any release.
export {
  DEAD_LETTER_ERROR_MAX_LENGTH,
  truncateDeadLetterError,
} from "./dead-letter-error-limit.js";
export { EnvelopeSigner, type SignatureCheck } from "./envelope-signer.js";
export { mapWithConcurrency } from "./internal/map-with-concurrency.js";
export { type HookRun, runHooks } from "./internal/run-hooks.js";
export { safeHook } from "./internal/safe-hook.js";
export { MAX_TIMER_DELAY_MS, timerDelay } from "./internal/timer-limit.js";
export { findRefusedCharacter, toAcceptedText } from "./message-characters.js";
export { measureMessageBytes } from "./message-size.js";
export { decideRetry, type RetryDecision, resolveRetryPolicy } from "./retry-policy.js";
export { type ValidatePayloadResult, validatePayload } from "./validate-payload.js";
