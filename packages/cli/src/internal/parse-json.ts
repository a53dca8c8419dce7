import { UsageError } from "../usage-error.js";

/** Parses a JSON argument; invalid JSON is bad input, told in one line. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the ${what} is not valid JSON: ${(error as Error).message}`);
  }
}
