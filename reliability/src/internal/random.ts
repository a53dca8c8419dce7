/**
 * A seeded random source (mulberry32), so that a failing run can be replayed: every test logs
 * its seed, and `GLASSWORK_SEED=<n>` draws the same fault plan again (the interleaving of
 * concurrent requests, and so which request meets which fault, still varies).
 */
export interface Random {
  /** The seed to pass as `GLASSWORK_SEED` to draw the same numbers again. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** A random source seeded from `GLASSWORK_SEED`, else from the clock; `salt` separates tests. */
export function seededRandom(salt: number): Random {
  const fromEnv = Number(process.env.GLASSWORK_SEED);
  const seed = Number.isInteger(fromEnv) && fromEnv >= 0 ? fromEnv : Date.now() % 2 ** 31;
  let state = (seed ^ salt) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}
