/** What replaces a redacted value. */
export const REDACTED = "[redacted]";

/**
 * Returns a copy of `value` with the fields at `paths` replaced by `"[redacted]"`. A path is
 * dot-separated keys from the root (`"card.number"`, `"email"`); `*` matches any key; arrays are
 * crossed transparently, so `"items.sku"` redacts the `sku` of every item. The input is not
 * modified.
 *
 * @example
 * redactPayload({ email: "a@b.c", card: { number: "4111", exp: "12/30" } }, ["email", "card.number"]);
 * // { email: "[redacted]", card: { number: "[redacted]", exp: "12/30" } }
 */
export function redactPayload(value: unknown, paths: readonly string[]): unknown {
  if (paths.length === 0) return value;
  return redact(
    value,
    paths.map((path) => path.split(".")),
  );
}

function redact(value: unknown, paths: readonly (readonly string[])[]): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item, paths));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const matching = paths.filter((path) => path[0] === key || path[0] === "*");
    const rest = matching.map((path) => path.slice(1));
    const redacted = matching.some((path) => path.length === 1)
      ? REDACTED
      : rest.length > 0
        ? redact(child, rest)
        : child;
    // An own data property even for a "__proto__" key, which plain assignment would not create.
    Object.defineProperty(out, key, {
      value: redacted,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
