import { createInterface } from "node:readline/promises";
import { UsageError } from "../usage-error.js";

/**
 * Asks before something that cannot be undone: `--yes` says yes; on a terminal the user types
 * the word; without a terminal it refuses, so a script never deletes by accident.
 */
export async function confirm(question: string, word: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new UsageError(`${question} Refusing without --yes: stdin is not a terminal`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Type "${word}" to confirm: `);
    return answer.trim() === word;
  } finally {
    rl.close();
  }
}
