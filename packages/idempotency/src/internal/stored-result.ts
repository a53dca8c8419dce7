/** A JSON value: what a stored result can be, and what a replay returns. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

// DynamoDB items are at most 400 KB; the record's other attributes and the marshalled form
// need the rest. A result over this is not stored rather than failing the completion write
// after the job's effects happened.
export const MAX_STORED_RESULT_BYTES = 300_000;

/**
 * The result as it will be stored and replayed (a JSON round trip), or `undefined` with the
 * reason given to `onDropped` when it cannot be stored.
 */
export function toStoredResult(
  result: unknown,
  onDropped: (reason: string) => void,
): JsonValue | undefined {
  if (result === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    onDropped(`it cannot be serialised as JSON (${(error as Error).message})`);
    return undefined;
  }
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_STORED_RESULT_BYTES) {
    onDropped(`it is ${bytes} bytes of JSON, over ${MAX_STORED_RESULT_BYTES}`);
    return undefined;
  }
  return JSON.parse(json) as JsonValue;
}
