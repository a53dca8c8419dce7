/**
 * `GLASSWORK_SOAK=1` runs the large sizes (the 100,000-job soak among them); without it every
 * file runs a smaller version sized for `pnpm test`, never a skipped one.
 */
export const SOAK = process.env.GLASSWORK_SOAK === "1";

/** `small` in `pnpm test`, `large` under `GLASSWORK_SOAK=1`. */
export function size(small: number, large: number): number {
  return SOAK ? large : small;
}
