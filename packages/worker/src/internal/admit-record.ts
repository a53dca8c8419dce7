import type { JobOutcome } from "@glasswork/core";
import {
  decodeEnvelope,
  InvalidEnvelopeError,
  type JobEnvelope,
  SIGNATURE_ATTRIBUTE,
} from "@glasswork/core";
import { deadLetterRecord } from "./dead-letter-record.js";
import type { RecordRun } from "./record-run.js";
import { relayRecord } from "./relay-record.js";
import { settleFailure } from "./settle-failure.js";

/** A record that already has its outcome: it must not run (see {@link admitRecord}). */
export class Refused {
  constructor(readonly outcome: JobOutcome | Promise<JobOutcome>) {}
}

/** What {@link admitRecord} decided: run this envelope, or the record is {@link Refused}. */
export type Admission = JobEnvelope | Refused;

/**
 * The checks before a job may run: the signature (with `signingKeys`), the envelope, and a
 * `runAt` still in the future (relayed). Synchronous when there is no signer, and without an
 * allocation when the record may run: both keep cost off the hot path.
 */
export function admitRecord(run: RecordRun): Admission | Promise<Admission> {
  const { rt, message } = run;
  if (!rt.signer) return decode(run);
  return rt.signer.check(message.body, message.attributes[SIGNATURE_ATTRIBUTE]).then((check) => {
    if (check === "valid") return decode(run);
    if (check === "unknown-key") return new Refused(unknownKey(run));
    rt.logger.warn(
      { messageId: message.messageId, queue: message.queue },
      "unsigned or forged message",
    );
    const error = new InvalidEnvelopeError(
      "invalid-signature",
      "the message is not signed with an accepted key",
    );
    return new Refused(deadLetterRecord(run, "signature", error));
  });
}

function decode(run: RecordRun): Admission {
  const { rt, message } = run;
  const decoded = decodeEnvelope(message.body);
  if (!decoded.ok) {
    const reason = decoded.error.reason === "not-json" ? "malformed" : "invalid-envelope";
    rt.logger.warn(
      { messageId: message.messageId, queue: message.queue, err: decoded.error },
      "unreadable message",
    );
    return new Refused(deadLetterRecord(run, reason, decoded.error));
  }
  const { envelope } = decoded;
  if (envelope.runAt !== undefined) {
    const remainingMs = Date.parse(envelope.runAt) - rt.now();
    if (remainingMs > 0) return new Refused(relayRecord(run, remainingMs));
  }
  return envelope;
}

// A well-formed signature by a key this worker does not hold yet: during a rotation the
// producers may be deployed first. Like an unknown job name, it waits (retries) for this worker
// to learn the key, and is dead-lettered when the unknown-job attempts run out. It never runs.
function unknownKey(run: RecordRun): Promise<JobOutcome> {
  const { rt, message } = run;
  const signature = message.attributes[SIGNATURE_ATTRIBUTE] ?? "";
  const keyId = signature.slice(0, signature.indexOf("."));
  const error = new InvalidEnvelopeError(
    "invalid-signature",
    `the message is signed with key "${keyId}", which this worker does not have (yet)`,
  );
  rt.logger.warn(
    { messageId: message.messageId, queue: message.queue, keyId },
    "message signed with an unknown key id (a key rotation deployed to producers first?)",
  );
  return settleFailure(run, {
    error,
    policy: rt.unknownJobRetry,
    exhaustedReason: "signature",
    exhaustedError: () =>
      new InvalidEnvelopeError(
        "invalid-signature",
        `the message is signed with key "${keyId}", which this worker still did not have after ${run.attempt} attempts`,
      ),
  });
}
