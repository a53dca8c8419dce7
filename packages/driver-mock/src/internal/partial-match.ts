/** A vitest or jest asymmetric matcher (`expect.any(String)`, `expect.objectContaining({…})`). */
interface AsymmetricMatcher {
  asymmetricMatch(actual: unknown): boolean;
  toAsymmetricMatcher?(): string;
  toString(): string;
}

function isAsymmetricMatcher(value: unknown): value is AsymmetricMatcher {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AsymmetricMatcher>).asymmetricMatch === "function"
  );
}

/**
 * True when `actual` contains `expected`: objects match on the keys `expected` names,
 * arrays and primitives match exactly (deeply), and an asymmetric matcher anywhere in
 * `expected` decides for the value at its place.
 */
export function matchesPartial(actual: unknown, expected: unknown): boolean {
  if (isAsymmetricMatcher(expected)) return expected.asymmetricMatch(actual);
  if (Object.is(actual, expected)) return true;
  if (typeof expected !== "object" || expected === null) return false;
  if (typeof actual !== "object" || actual === null) return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => matchesPartial(actual[i], item))
    );
  }
  if (expected instanceof Date)
    return actual instanceof Date && actual.getTime() === expected.getTime();
  return Object.entries(expected).every(([key, value]) =>
    matchesPartial((actual as Record<string, unknown>)[key], value),
  );
}

/** `expected` as JSON, with asymmetric matchers shown by name (`Any<String>`), for messages. */
export function describeExpected(expected: unknown): string {
  return JSON.stringify(expected, (_key, value: unknown) =>
    isAsymmetricMatcher(value) ? (value.toAsymmetricMatcher?.() ?? value.toString()) : value,
  );
}
