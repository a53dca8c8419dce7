/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The smallest, middle and largest of a set of samples. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** The {@link Spread} of some samples. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spread of nothing");
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/**
 * The {@link Spread} of the round-by-round ratios `ours[i] / peer[i]`, where sample `i` of each
 * side ran in the same round, next to each other: how far a ratio moves between rounds, which
 * tells whether a median ratio near 1.0× is resolved.
 */
export function roundRatios(ours: readonly number[], peer: readonly number[]): Spread {
  if (ours.length !== peer.length) {
    throw new RangeError(`rounds differ: ${ours.length} of ours, ${peer.length} of the peer`);
  }
  return spread(ours.map((value, i) => value / (peer[i] as number)));
}
