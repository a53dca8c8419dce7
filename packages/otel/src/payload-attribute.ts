import type { Attributes } from "@opentelemetry/api";
import { ATTR } from "./attributes.js";

const MAX_PAYLOAD_CHARS = 4_096;

/** The payload as a JSON span attribute, cut to 4 KiB. Only used when payload capture is on. */
export function payloadAttribute(payload: unknown): Attributes {
  let json: string;
  try {
    json = JSON.stringify(payload) ?? "undefined";
  } catch {
    json = "[unserialisable]";
  }
  return {
    [ATTR.jobPayload]:
      json.length > MAX_PAYLOAD_CHARS ? `${json.slice(0, MAX_PAYLOAD_CHARS)}…` : json,
  };
}
