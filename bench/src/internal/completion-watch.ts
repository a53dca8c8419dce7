import type { SQSClient } from "@aws-sdk/client-sqs";
import { cpuMicros } from "./cpu-clock.js";

// Middleware names must be unique per client stack.
let installed = 0;

/** What {@link watchCompletions} sees a consumer do through its client. */
export interface CompletionWatch {
  /** `performance.now()` when the first ReceiveMessage was sent, if any was. */
  readonly firstReceiveAt: number | undefined;
  /** This process's CPU time (user + system, µs) when the first ReceiveMessage was sent. */
  readonly firstReceiveCpuMicros: number | undefined;
  /** This process's CPU time (user + system, µs) when the `expected`-th message was deleted. */
  readonly doneCpuMicros: number | undefined;
  /** Messages deleted so far (DeleteMessage, and DeleteMessageBatch's `Successful`). */
  readonly deleted: number;
  /**
   * ReceiveMessage calls sent but not answered when the `expected`-th message was deleted: the
   * long polls of consumers waiting for more work, which can only find the queue empty.
   */
  readonly receivesWaitingAtDone: number | undefined;
  /** Resolves with `performance.now()` when `expected` messages have been deleted. */
  readonly done: Promise<number>;
}

/**
 * Watches a consumer's `SQSClient` through its middleware stack: when it first receives, and
 * when it has deleted `expected` messages, by the clock and by this process's CPU time. Both
 * sides of a comparison are timed by the same code.
 */
export function watchCompletions(client: SQSClient, expected: number): CompletionWatch {
  let finish: (at: number) => void = () => {};
  let receivesInFlight = 0;
  const watch = {
    firstReceiveAt: undefined as number | undefined,
    firstReceiveCpuMicros: undefined as number | undefined,
    doneCpuMicros: undefined as number | undefined,
    deleted: 0,
    receivesWaitingAtDone: undefined as number | undefined,
    done: new Promise<number>((resolve) => {
      finish = resolve;
    }),
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const receive = context.commandName === "ReceiveMessageCommand";
      if (receive && watch.firstReceiveAt === undefined) {
        watch.firstReceiveAt = performance.now();
        watch.firstReceiveCpuMicros = cpuMicros();
      }
      if (receive) receivesInFlight++;
      const result = await next(args).finally(() => {
        if (receive) receivesInFlight--;
      });
      if (context.commandName === "DeleteMessageCommand") watch.deleted++;
      if (context.commandName === "DeleteMessageBatchCommand") {
        watch.deleted += (result.output as { Successful?: unknown[] }).Successful?.length ?? 0;
      }
      if (watch.deleted >= expected && watch.doneCpuMicros === undefined) {
        watch.doneCpuMicros = cpuMicros();
        watch.receivesWaitingAtDone = receivesInFlight;
        finish(performance.now());
      }
      return result;
    },
    { step: "initialize", name: `benchCompletionWatch${++installed}`, priority: "high" },
  );
  return watch;
}
