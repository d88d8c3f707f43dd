import type { InstanceStats } from './protocol.js';

/** Items timed one by one at the start of an instance, before sampling thins out. */
const WARMUP = 256;
/** After the warm-up, one item in `STRIDE` is timed. */
const STRIDE = 64;
/** Per-item times kept (reservoir sampling beyond this). */
const RESERVOIR = 2048;
/** The share of the slowest samples left out of the mean (preemption, GC pauses). */
const TRIM = 0.02;

/**
 * @internal The counters of one PE instance in one run: items in and out always, and with
 * timing, a uniform sample of per-item times.
 *
 * Why sampling: timing every item costs two clock reads per item per PE, which on a chain
 * of cheap PEs (W1) is more than the PEs themselves. The first {@link WARMUP} items are
 * timed, then one in {@link STRIDE}, into a bounded reservoir. The mean per item is the
 * reservoir's mean without its slowest {@link TRIM} (on a loaded machine a timed item now
 * and then spans a preemption, which would otherwise dominate), the busy time is that mean
 * times the items handled, and the percentiles come from the reservoir.
 */
export class InstanceCounter {
  itemsIn = 0;
  itemsOut = 0;
  /** Items until the next timed one (1: the next is timed). */
  countdown = 1;
  private taken = 0;
  private readonly reservoir: number[] = [];

  constructor(
    readonly pe: string,
    readonly instance: number,
  ) {}

  /** The countdown ran out: the current item is timed; sets the next countdown. */
  take(): void {
    this.countdown = ++this.taken < WARMUP ? 1 : STRIDE;
  }

  /** Records the time of one timed item, ms. */
  record(ms: number): void {
    if (this.reservoir.length < RESERVOIR) this.reservoir.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.taken);
      if (slot < RESERVOIR) this.reservoir[slot] = ms;
    }
  }

  /** The counters as plain data; with `samples`, the per-item times too. */
  toStats(samples: boolean): InstanceStats {
    const items = this.itemsIn > 0 ? this.itemsIn : this.itemsOut;
    return {
      pe: this.pe,
      instance: this.instance,
      itemsIn: this.itemsIn,
      itemsOut: this.itemsOut,
      busyMs: this.reservoir.length > 0 ? trimmedMean(this.reservoir) * items : 0,
      ...(samples ? { sampleMs: this.reservoir.slice() } : {}),
    };
  }
}

function trimmedMean(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const kept = sorted.slice(0, Math.max(1, Math.ceil(sorted.length * (1 - TRIM))));
  return kept.reduce((a, x) => a + x, 0) / kept.length;
}
