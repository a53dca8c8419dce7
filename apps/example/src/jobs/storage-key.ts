import * as v from "valibot";

const MESSAGE = "must be a storage key under uploads/, such as uploads/cat.png";

/**
 * A key that names an object in the uploads area: `uploads/` then `/`-separated segments of
 * letters, digits, `_`, `.` and `-`, none of them `.` or `..`. Keys come from clients and name
 * storage locations, so a key must never climb out of the area (`uploads/../secrets`) or be
 * absolute.
 */
export const StorageKey = v.pipe(
  v.string(MESSAGE),
  v.maxLength(256, MESSAGE),
  v.regex(/^uploads(\/[\w.-]+)+$/, MESSAGE),
  v.check((key) => key.split("/").every((segment) => segment !== "." && segment !== ".."), MESSAGE),
);
