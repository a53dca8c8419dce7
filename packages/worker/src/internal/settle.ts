/**
 * Key of a function the poller puts on the Lambda context it builds: the worker calls it before
 * it changes a message's visibility or deletes it, so that the poller's heartbeat never
 * overwrites a retry delay.
 */
export const SETTLE = Symbol.for("@glasswork/worker/settle");
