import type { PayloadIssue } from "../errors.js";

/** Keys the worker's envelope decoder refuses anywhere in a body (prototype-pollution guard). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

/**
 * Finds what would not arrive in the handler exactly as it was enqueued: values that
 * `JSON.stringify` drops, changes or chokes on (a `Date` becomes a string, a `Map` becomes `{}`),
 * and keys the worker refuses. Returns one issue per problem, with its path.
 */
export function findNonJsonValues(value: unknown): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  visit(value, [], new Set(), issues);
  return issues;
}

// `path` is one array, pushed and popped while walking: copied only when an issue is reported.
function visit(
  value: unknown,
  path: PropertyKey[],
  ancestors: Set<object>,
  issues: PayloadIssue[],
): void {
  const report = (message: string) => issues.push({ message, path: [...path] });
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) report(`${value} is not valid JSON (it would become null)`);
      return;
    case "bigint":
      report("a BigInt cannot be serialised to JSON; send it as a string");
      return;
    case "function":
      report("a function cannot be serialised to JSON");
      return;
    case "symbol":
      report("a symbol cannot be serialised to JSON");
      return;
    case "undefined":
      // Inside an object `undefined` is the same as a missing key; elsewhere it is lost.
      if (path.length === 0) report("the payload is undefined");
      return;
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) {
    report("circular reference");
    return;
  }
  if (object instanceof Date) {
    report(
      "a Date arrives in the handler as a string: send date.toISOString() and parse it in the schema",
    );
    return;
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === "function") {
    report(
      "an object with toJSON() arrives in the handler as its JSON form: send that form instead",
    );
    return;
  }
  if (object instanceof Map || object instanceof Set) {
    report(`a ${object.constructor.name} would be serialised as {}; use an array or object`);
    return;
  }
  ancestors.add(object);
  if (Array.isArray(object)) {
    // A plain loop, not forEach: forEach skips the holes of a sparse array, which become null.
    for (let index = 0; index < object.length; index++) {
      const item: unknown = object[index];
      path.push(index);
      if (item === undefined) report("undefined in an array would become null");
      else visit(item, path, ancestors, issues);
      path.pop();
    }
  } else {
    for (const key of Object.keys(object)) {
      path.push(key);
      if (FORBIDDEN_KEYS.has(key))
        report(`the key "${key}" is refused by the worker (prototype-pollution guard)`);
      else visit((object as Record<string, unknown>)[key], path, ancestors, issues);
      path.pop();
    }
  }
  ancestors.delete(object);
}
