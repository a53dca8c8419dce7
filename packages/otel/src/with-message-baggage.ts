import { type Context, propagation } from "@opentelemetry/api";

/**
 * `base` with the baggage extracted from a message added (the message's entries win): the job
 * runs in the context it was enqueued from, as far as the message carries it, without losing
 * what the invocation's own context holds.
 */
export function withMessageBaggage(base: Context, extracted: Context): Context {
  const fromMessage = propagation.getBaggage(extracted);
  if (!fromMessage) return base;
  let merged = propagation.getBaggage(base) ?? propagation.createBaggage();
  for (const [key, entry] of fromMessage.getAllEntries()) merged = merged.setEntry(key, entry);
  return propagation.setBaggage(base, merged);
}
