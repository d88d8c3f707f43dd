import { InstanceCounter } from './InstanceCounter.js';
import type { InstanceStats } from './protocol.js';

/**
 * Per-PE-instance counters of one run, on any backend: what the CLI's progress display and
 * `--timing` read. Pass one in `run(wf, backend, { stats })`: instances in this thread count
 * into it directly; the distributed backends' workers count locally and report (counts on
 * their heartbeat, about every second, while a run goes; everything in their `done`), and
 * the coordinator merges the reports here.
 *
 * Counting items costs one increment per item per PE; `timing` adds sampled clock reads
 * (see {@link InstanceCounter}). Without a `RunStats`, a run counts nothing.
 *
 * @example
 * ```ts
 * import { collect, RunStats } from 'dispel4ts';
 * const stats = new RunStats({ timing: true });
 * await collect(pipeline, undefined, { iterations: 1000, stats });
 * stats.snapshot(); // [{ pe: 'Numbers', instance: 0, itemsIn: 0, itemsOut: 1000, busyMs: 0.4 }, ...]
 * ```
 */
export class RunStats {
  /** Whether busy time and per-item times are measured, not only counts. */
  readonly timing: boolean;
  /** The sampling clock of this thread (timed frames nest: a PE's time excludes what it calls). */
  readonly clock = new SampleClock();
  private readonly local = new Map<string, InstanceCounter>();
  private readonly remote = new Map<string, InstanceStats>();

  constructor(options: { readonly timing?: boolean } = {}) {
    this.timing = options.timing === true;
  }

  /** @internal The counter of a PE instance running in this thread. */
  counter(pe: string, instance: number): InstanceCounter {
    const key = `${pe}\0${instance}`;
    let counter = this.local.get(key);
    if (!counter) {
      counter = new InstanceCounter(pe, instance);
      this.local.set(key, counter);
    }
    return counter;
  }

  /** @internal Merges counters reported by a worker (a later report replaces an earlier one). */
  report(stats: readonly InstanceStats[]): void {
    for (const s of stats) {
      const key = `${s.pe}\0${s.instance}`;
      const previous = this.remote.get(key);
      // A heartbeat's counts never replace the final report's samples.
      this.remote.set(
        key,
        previous?.sampleMs && !s.sampleMs ? { ...s, sampleMs: previous.sampleMs } : s,
      );
    }
  }

  /** Every instance's counters so far; with `samples`, the per-item times (for percentiles). */
  snapshot(samples = false): InstanceStats[] {
    const all = [...this.remote.values()].map((s) =>
      samples || !s.sampleMs ? s : withoutSamples(s),
    );
    for (const counter of this.local.values()) all.push(counter.toStats(samples && this.timing));
    return all;
  }
}

function withoutSamples(s: InstanceStats): InstanceStats {
  return { pe: s.pe, instance: s.instance, itemsIn: s.itemsIn, itemsOut: s.itemsOut, busyMs: s.busyMs };
}

/**
 * @internal Times nested frames: a PE instance's timed item runs the PEs it feeds
 * synchronously inside it, so each frame's own time is its time less its children's.
 */
export class SampleClock {
  /** Frames open now; > 0 means an enclosing item is being timed. */
  depth = 0;
  private readonly children: number[] = [];
  /**
   * What one frame's own bookkeeping (two clock reads) adds to its parent's time, ms,
   * measured once: subtracted so that a cheap PE feeding a chain is not charged for the
   * chain's clock reads.
   */
  private readonly overhead = calibrate();

  enter(): number {
    this.depth++;
    this.children.push(0);
    return performance.now();
  }

  /** Closes the frame opened at `start`; returns its own time (children excluded), ms. */
  exit(start: number): number {
    const total = performance.now() - start;
    const children = this.children.pop()!;
    if (--this.depth > 0) this.children[this.children.length - 1]! += total + this.overhead;
    return Math.max(0, total - children);
  }
}

/** The cost of an empty frame (enter + exit), ms: the median of a few short loops. */
function calibrate(): number {
  const runs: number[] = [];
  const children: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < 200; i++) {
      children.push(0);
      const t = performance.now();
      children.pop();
      void (performance.now() - t);
    }
    runs.push((performance.now() - start) / 200);
  }
  return runs.sort((a, b) => a - b)[3]!;
}
