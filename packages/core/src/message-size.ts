/** SQS's default maximum message size (256 KiB), Glasswork's default limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144;
/** The largest message SQS accepts on a queue configured for it (1 MiB). */
export const MAX_MESSAGE_BYTES = 1_048_576;

const encoder = new TextEncoder();
// Node's Buffer counts UTF-8 bytes without encoding; elsewhere (browsers, edge runtimes) the
// string is encoded once.
const nodeByteLength = (
  globalThis as { Buffer?: { byteLength(text: string, encoding: "utf8"): number } }
).Buffer?.byteLength;

/** UTF-8 length of a string. */
export function utf8Length(text: string): number {
  return nodeByteLength ? nodeByteLength(text, "utf8") : encoder.encode(text).length;
}

/**
 * The size of a message as SQS counts it against its limit: the UTF-8 bytes of the body plus,
 * for every message attribute, its name, its data type (`"String"`) and its value.
 */
export function measureMessageBytes(
  body: string,
  attributes: Readonly<Record<string, string>> = {},
): number {
  let size = utf8Length(body);
  for (const [name, value] of Object.entries(attributes)) {
    size += utf8Length(name) + "String".length + utf8Length(value);
  }
  return size;
}
