import { parseQueueArn } from "./queue-names.js";

/** A queue's parsed `RedrivePolicy` attribute. */
export interface RedrivePolicy {
  /** The dead-letter queue's ARN. */
  readonly deadLetterTargetArn: string;
  /** The dead-letter queue's name (the last field of its ARN). */
  readonly deadLetterQueueName: string;
  /** The dead-letter queue's account (the ARN's fifth field). */
  readonly deadLetterAccount: string;
  /** Receives after which SQS itself moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number | undefined;
}

/**
 * Parses a `RedrivePolicy` attribute (`{"deadLetterTargetArn":"arn:…","maxReceiveCount":"5"}`).
 * Gives `undefined` when the attribute is absent, not JSON, or names no target: a queue
 * without a usable policy simply has no dead-letter queue.
 */
export function parseRedrivePolicy(value: string | undefined): RedrivePolicy | undefined {
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== "string" || deadLetterTargetArn === "") return undefined;
  const { name, account } = parseQueueArn(deadLetterTargetArn);
  // SQS returns maxReceiveCount as a number or a numeric string depending on how it was set.
  const count = Number(maxReceiveCount);
  return {
    deadLetterTargetArn,
    deadLetterQueueName: name,
    deadLetterAccount: account,
    maxReceiveCount: Number.isInteger(count) && count > 0 ? count : undefined,
  };
}
