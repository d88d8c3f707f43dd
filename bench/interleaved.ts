/**
 * Two timed runs taken in turn, pair after pair, in one process (for `bench/scaling.ts` and
 * `bench/seqOverhead.ts`): pairs taken a fraction of a second apart see the same machine, where
 * runs measured one configuration after the other see a slow minute on one side only.
 */
export interface Pairs {
  /** The first run's figure of each measured pair. */
  readonly firsts: number[];
  /** The second run's. */
  readonly seconds: number[];
  /** first / second, per pair. */
  readonly ratios: number[];
}

/** Runs `pairs` measured pairs of `first` then `second`, after `warmup` unmeasured pairs. */
export async function interleaved(
  first: () => Promise<number>,
  second: () => Promise<number>,
  pairs: number,
  warmup: number,
): Promise<Pairs> {
  const result: Pairs = { firsts: [], seconds: [], ratios: [] };
  for (let i = 0; i < pairs + warmup; i++) {
    const a = await first();
    const b = await second();
    if (i < warmup) continue;
    result.firsts.push(a);
    result.seconds.push(b);
    result.ratios.push(a / b);
  }
  return result;
}
