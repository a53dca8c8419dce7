// Fault injection through an SQSClient's middleware stack: throttled and failed requests, failed
// batch entries and lost responses, decided by a seeded random source and counted.
import { RequestThrottled, type SQSClient, SQSServiceException } from "@aws-sdk/client-sqs";
import type { Random } from "./random.js";

/** An entry that fails every time it is sent, and how. */
export interface PersistentFault {
  readonly code: string;
  /** SQS's `SenderFault`: true means sending again cannot help. */
  readonly senderFault: boolean;
}

/** Shares (0..1) of requests or entries to fail, per kind. */
export interface SqsFaultOptions {
  readonly random: Random;
  /** The actions to bend. Default `["SendMessageBatch", "SendMessage"]`. */
  readonly actions?: readonly string[];
  /**
   * Requests refused with `RequestThrottled` before they reach SQS, outside the SDK's own
   * retries: the driver sees them.
   */
  readonly throttleRequests?: number;
  /** Requests refused with a 500 `InternalError` before they reach SQS, outside the SDK's retries. */
  readonly failRequests?: number;
  /** Requests throttled inside the SDK's retry loop: the SDK retries them itself. */
  readonly throttleAttempts?: number;
  /** Batch entries that come back under `Failed` (`InternalError`, SenderFault false). */
  readonly failEntries?: number;
  /** Entries (by body) that fail on every send, in a batch or alone. */
  readonly persistent?: (body: string) => PersistentFault | undefined;
  /**
   * Requests that SQS accepted but whose response is lost (a socket reset on the way back):
   * the sender cannot know that the messages were sent.
   */
  readonly loseResponses?: number;
}

/** Faults injected so far, by kind; `lostBodies` are the bodies of requests whose response was lost. */
export interface SqsFaultCounts {
  throttledRequests: number;
  failedRequests: number;
  throttledAttempts: number;
  failedEntries: number;
  persistentEntries: number;
  lostResponses: number;
  readonly lostBodies: Set<string>;
}

interface Entry {
  readonly Id?: string;
  readonly MessageBody?: string;
}

type Middleware = Parameters<SQSClient["middlewareStack"]["add"]>[0];

let installed = 0;

/** Installs the faults on `client` and returns their live counts. */
export function injectSqsFaults(client: SQSClient, options: SqsFaultOptions): SqsFaultCounts {
  const { random } = options;
  const actions = new Set(
    (options.actions ?? ["SendMessageBatch", "SendMessage"]).map((a) => `${a}Command`),
  );
  const counts: SqsFaultCounts = {
    throttledRequests: 0,
    failedRequests: 0,
    throttledAttempts: 0,
    failedEntries: 0,
    persistentEntries: 0,
    lostResponses: 0,
    lostBodies: new Set(),
  };
  const id = ++installed;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!actions.has(String(context.commandName))) return next(args);
      if (random.chance(options.throttleRequests ?? 0)) {
        counts.throttledRequests++;
        throw throttled();
      }
      if (random.chance(options.failRequests ?? 0)) {
        counts.failedRequests++;
        throw internalError();
      }
      const input = args.input as { Entries?: Entry[]; MessageBody?: string };
      if (context.commandName === "SendMessageCommand") {
        const fault = options.persistent?.(input.MessageBody ?? "");
        if (fault) {
          counts.persistentEntries++;
          throw fault.senderFault ? invalidContents(fault.code) : internalError(fault.code);
        }
        return loseResponse(await next(args), [input.MessageBody ?? ""]);
      }
      if (context.commandName !== "SendMessageBatchCommand") return next(args);
      const failed: {
        Id: string | undefined;
        Code: string;
        Message: string;
        SenderFault: boolean;
      }[] = [];
      const kept: Entry[] = [];
      for (const entry of input.Entries ?? []) {
        const fault = options.persistent?.(entry.MessageBody ?? "");
        if (fault) {
          counts.persistentEntries++;
          failed.push({
            Id: entry.Id,
            Code: fault.code,
            Message: "injected",
            SenderFault: fault.senderFault,
          });
        } else if (random.chance(options.failEntries ?? 0)) {
          counts.failedEntries++;
          failed.push({
            Id: entry.Id,
            Code: "InternalError",
            Message: "injected",
            SenderFault: false,
          });
        } else {
          kept.push(entry);
        }
      }
      if (failed.length === 0) return loseResponse(await next(args), kept.map(bodyOf));
      // SQS refuses an empty batch: when every entry failed, answer without sending.
      if (kept.length === 0) {
        return {
          output: { Successful: [], Failed: failed, $metadata: {} },
          response: {},
        } as Awaited<ReturnType<typeof next>>;
      }
      const result = await next({
        ...args,
        input: { ...args.input, Entries: kept } as typeof args.input,
      });
      const output = result.output as { Failed?: unknown[] };
      output.Failed = [...(output.Failed ?? []), ...failed];
      return loseResponse(result, kept.map(bodyOf));
    },
    { step: "initialize", name: `glassworkReliabilityFaults${id}`, priority: "high" },
  );

  if ((options.throttleAttempts ?? 0) > 0) {
    // Inside the SDK's retry loop: the SDK sees these and retries them itself.
    const attemptFaults: Middleware = (next, context) => async (args) => {
      if (
        actions.has(String(context.commandName)) &&
        random.chance(options.throttleAttempts ?? 0)
      ) {
        counts.throttledAttempts++;
        throw throttled();
      }
      return next(args);
    };
    client.middlewareStack.addRelativeTo(attemptFaults, {
      relation: "after",
      toMiddleware: "retryMiddleware",
      name: `glassworkReliabilityAttemptFaults${id}`,
    });
  }

  function loseResponse<T>(result: T, bodies: readonly string[]): T {
    if (!random.chance(options.loseResponses ?? 0)) return result;
    counts.lostResponses++;
    for (const body of bodies) counts.lostBodies.add(body);
    throw Object.assign(new Error("socket hang up (injected: the response was lost)"), {
      name: "TimeoutError",
      code: "ECONNRESET",
    });
  }
  return counts;
}

const metadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });

function throttled(): Error {
  return new RequestThrottled({ message: "Rate exceeded (injected)", $metadata: metadata(400) });
}

function internalError(name = "InternalError"): Error {
  return new SQSServiceException({
    name,
    $fault: "server",
    message: "We encountered an internal error (injected)",
    $metadata: metadata(500),
  });
}

function invalidContents(name: string): Error {
  return new SQSServiceException({
    name,
    $fault: "client",
    message: "The message contains characters outside the allowed set (injected)",
    $metadata: metadata(400),
  });
}

function bodyOf(entry: Entry): string {
  return entry.MessageBody ?? "";
}
