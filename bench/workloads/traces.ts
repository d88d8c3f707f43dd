import { firstValueFrom, map, range, reduce } from 'rxjs';
import { normalise, peak, samples, SAMPLES } from '../../examples/workloads/traces.js';
import type { BenchWorkload } from '../BenchWorkload.js';

/** W5 `traces`: 64 KiB Float64Array payloads, figures in MB/s (`Peak` has `k` instances). */
export const traces: BenchWorkload = {
  id: 'W5',
  name: 'traces',
  defaultN: 2_000,
  quickN: 100,
  bytesPerItem: SAMPLES * 8,
  parallel: ['Peak'],
  load: async () => {
    const m = await import('../../examples/workloads/traces.js');
    return { workflow: m.traces, expected: m.expected };
  },
  loop: (n) => {
    let peakSum = 0;
    for (let t = 0; t < n; t++) peakSum += peak(normalise(samples(t)))[1];
    return { Collect: [{ peakSum, count: n }] };
  },
  rxjs: async (n) => ({
    Collect: [
      await firstValueFrom(
        range(0, n).pipe(
          map((t) => ({ t, samples: samples(t) })),
          map(({ t, samples: x }) => ({ t, samples: normalise(x) })),
          map(({ t, samples: x }) => [t, ...peak(x)] as const),
          reduce(
            (summary, [, , value]) => ({
              peakSum: summary.peakSum + value,
              count: summary.count + 1,
            }),
            { peakSum: 0, count: 0 },
          ),
        ),
      ),
    ],
  }),
};
