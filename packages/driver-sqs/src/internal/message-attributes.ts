import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/** String attributes as SQS message attributes of data type `String`. */
export function toSqsAttributes(
  attributes: Readonly<Record<string, string>>,
): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
  );
}

/**
 * SQS message attributes as strings. `String` and `Number` attributes (and their custom
 * subtypes such as `String.json`) keep their text; `Binary` ones are dropped, since jobs only
 * ever use strings.
 */
export function fromSqsAttributes(
  attributes: Readonly<Record<string, MessageAttributeValue>> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  if (attributes === undefined) return result;
  // `for…in`, not `Object.entries`: this runs for every message received. The SDK's objects
  // inherit nothing enumerable.
  for (const name in attributes) {
    const value = attributes[name]?.StringValue;
    if (value !== undefined) result[name] = value;
  }
  return result;
}
