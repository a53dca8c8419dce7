import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import { HOLD_WHILE_RUNNING, type HoldWhileRunning } from "./hold-while-running.js";
import { SETTLE } from "./settle.js";

/** Options of {@link lambdaContext}. */
export interface LambdaContextOptions {
  /** Time left in the invocation when it starts, in ms. */
  readonly remainingMs: number;
  /** Default: a new UUID, as Lambda gives each invocation. */
  readonly awsRequestId?: string;
  /** Default `"glasswork-poller"`. */
  readonly functionName?: string;
  /** For the function ARN. Default `"local"` and `"000000000000"`. */
  readonly region?: string;
  readonly accountId?: string;
  /** Default `"0"`: no memory limit is imitated. */
  readonly memoryLimitInMB?: string;
  readonly logStreamName?: string;
  /** The poller's hooks into the worker (see `SETTLE`, `HOLD_WHILE_RUNNING`). */
  readonly settle?: (messageId: string) => Promise<void>;
  readonly hold?: HoldWhileRunning;
}

/**
 * A Lambda context with every field the Node.js runtime sets, for running the worker handler
 * outside Lambda: the poller, `drainQueue` and the tests build theirs here.
 */
export function lambdaContext(options: LambdaContextOptions): Context {
  const end = Date.now() + options.remainingMs;
  const awsRequestId = options.awsRequestId ?? randomUUID();
  const functionName = options.functionName ?? "glasswork-poller";
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${options.region ?? "local"}:${options.accountId ?? "000000000000"}:function:${functionName}`,
    memoryLimitInMB: options.memoryLimitInMB ?? "0",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? awsRequestId,
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  if (options.settle) Object.assign(context, { [SETTLE]: options.settle });
  if (options.hold) Object.assign(context, { [HOLD_WHILE_RUNNING]: options.hold });
  return context;
}
