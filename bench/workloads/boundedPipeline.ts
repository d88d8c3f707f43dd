import type { BenchWorkload } from '../BenchWorkload.js';

/**
 * W1 with a slow consumer (issue 5's bounded-memory check): N = 10,000,000 and `Sum`
 * busy-waiting 1 µs per item, on threads only; the figure that matters is peak RSS.
 */
export const boundedPipeline: BenchWorkload = {
  id: 'W1-bounded',
  name: 'pipeline, slow Sum',
  defaultN: 10_000_000,
  quickN: 100_000,
  parallel: [],
  backends: ['threads'],
  ks: [2],
  repeat: 1,
  warmup: false,
  load: async () => {
    const m = await import('./slowPipeline.js');
    return { workflow: m.slowPipeline, expected: m.expected };
  },
};
