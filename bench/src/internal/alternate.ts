/** Samples of both sides of a comparison, in round order. */
export interface Alternated<T> {
  readonly ours: T[];
  readonly peer: T[];
}

/** The fewest rounds a comparison may have: fewer cannot resolve a ratio near 1.0×. */
export const MIN_ROUNDS = 9;

/**
 * Runs `rounds` rounds of one sample per side, the order flipping every round
 * (ours–peer, peer–ours, …), so that neither side always runs first after a pause or second
 * while the machine warms up: drift and order effects hit both sides alike.
 */
export async function alternate<T>(
  rounds: number,
  ours: () => Promise<T>,
  peer: () => Promise<T>,
): Promise<Alternated<T>> {
  const result: Alternated<T> = { ours: [], peer: [] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      result.ours.push(await ours());
      result.peer.push(await peer());
    } else {
      result.peer.push(await peer());
      result.ours.push(await ours());
    }
  }
  return result;
}

/** `items` in round `round`'s order: as given in even rounds, reversed in odd ones. */
export function alternateOrder<T>(items: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? items : [...items].reverse();
}
