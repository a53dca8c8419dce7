import type { PayloadIssue } from "../errors.js";

/**
 * Finds the values that `JSON.stringify` would drop, change or choke on, so that a payload
 * arrives in the handler exactly as it was enqueued. Returns one issue per bad value.
 */
export function findNonJsonValues(value: unknown): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  visit(value, [], new Set(), issues);
  return issues;
}

function visit(
  value: unknown,
  path: PropertyKey[],
  ancestors: Set<object>,
  issues: PayloadIssue[],
): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value))
        issues.push({ message: `${value} is not valid JSON (it would become null)`, path });
      return;
    case "bigint":
      issues.push({ message: "a BigInt cannot be serialised to JSON; send it as a string", path });
      return;
    case "function":
      issues.push({ message: "a function cannot be serialised to JSON", path });
      return;
    case "symbol":
      issues.push({ message: "a symbol cannot be serialised to JSON", path });
      return;
    case "undefined":
      // Inside an object `undefined` is the same as a missing key; elsewhere it is lost.
      if (path.length === 0) issues.push({ message: "the payload is undefined", path });
      return;
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) {
    issues.push({ message: "circular reference", path });
    return;
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === "function") return; // Date and friends
  if (object instanceof Map || object instanceof Set) {
    issues.push({
      message: `a ${object.constructor.name} would be serialised as {}; use an array or object`,
      path,
    });
    return;
  }
  ancestors.add(object);
  if (Array.isArray(object)) {
    // A plain loop, not forEach: forEach skips the holes of a sparse array, which become null.
    for (let index = 0; index < object.length; index++) {
      const item: unknown = object[index];
      if (item === undefined)
        issues.push({ message: "undefined in an array would become null", path: [...path, index] });
      else visit(item, [...path, index], ancestors, issues);
    }
  } else {
    for (const [key, item] of Object.entries(object))
      visit(item, [...path, key], ancestors, issues);
  }
  ancestors.delete(object);
}
