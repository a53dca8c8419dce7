import { isDeepStrictEqual } from "node:util";
import type { Target } from "@aws-sdk/client-scheduler";

interface Delivery {
  readonly arn: string | undefined;
  readonly queueUrl: string | undefined;
  readonly groupId: string | undefined;
  readonly job: unknown;
}

/**
 * True when two targets deliver the same job: same target and queue, same FIFO group, and an
 * envelope with the same id, name, payload and due time. `enqueuedAt` and `meta` (trace context)
 * differ between two enqueues of one job and are left out, so that enqueuing a job again for the
 * same time is a no-op rather than a conflict.
 */
export function isSameDelivery(a: Target | undefined, b: Target | undefined): boolean {
  const left = delivery(a);
  const right = delivery(b);
  return left !== undefined && right !== undefined && isDeepStrictEqual(left, right);
}

function delivery(target: Target | undefined): Delivery | undefined {
  if (!target?.Input) return undefined;
  const input = parse(target.Input);
  // The universal target's Input is a SendMessage request; the templated one's is the body.
  const request =
    target.Arn?.endsWith(":aws-sdk:sqs:sendMessage") && isRecord(input) ? input : undefined;
  const body = request ? parse(request.MessageBody) : input;
  if (!isRecord(body)) return undefined;
  return {
    arn: target.Arn,
    queueUrl: request ? String(request.QueueUrl) : undefined,
    groupId: request
      ? (request.MessageGroupId as string | undefined)
      : target.SqsParameters?.MessageGroupId,
    job: { id: body.id, name: body.name, payload: body.payload, runAt: body.runAt },
  };
}

function parse(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
