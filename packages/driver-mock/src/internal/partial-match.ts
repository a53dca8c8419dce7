/**
 * True when `actual` contains `expected`: objects match on the keys `expected` names,
 * arrays and primitives match exactly (deeply).
 */
export function matchesPartial(actual: unknown, expected: unknown): boolean {
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
