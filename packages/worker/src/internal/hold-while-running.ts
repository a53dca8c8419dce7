/**
 * Keeps a given-up record invisible while its handler still runs. `running` resolves to `true`
 * when the handler resolved: the message is then deleted (a handler that resolves means delete,
 * DESIGN §7, even late); else it is made visible after `releaseSeconds`. Only the poller offers
 * it (outside Lambda nothing freezes a handler that ignores `ctx.signal`, so releasing the record
 * at once would let a second copy run beside it).
 */
export type HoldWhileRunning = (
  messageId: string,
  running: Promise<boolean>,
  releaseSeconds: number,
) => void;

/** Key under which the poller puts its {@link HoldWhileRunning} on the Lambda context it builds. */
export const HOLD_WHILE_RUNNING = Symbol.for("@glasswork/worker/hold-while-running");
