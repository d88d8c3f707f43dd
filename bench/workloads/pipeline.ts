import { firstValueFrom, map, range, reduce } from 'rxjs';
import type { BenchWorkload } from '../BenchWorkload.js';

/** W1 `pipeline`: per-item framework overhead (three `AddOne` PEs and `Sum`). */
export const pipeline: BenchWorkload = {
  id: 'W1',
  name: 'pipeline',
  defaultN: 1_000_000,
  quickN: 100_000,
  parallel: [],
  load: async () => {
    const m = await import('../../examples/workloads/pipeline.js');
    return { workflow: m.pipeline, expected: m.expected };
  },
  loop: (n) => {
    let total = 0;
    for (let i = 0; i < n; i++) total += i + 1 + 1 + 1;
    return { Sum: [total] };
  },
  rxjs: async (n) => ({
    Sum: [
      await firstValueFrom(
        range(0, n).pipe(
          map((x) => x + 1),
          map((x) => x + 1),
          map((x) => x + 1),
          reduce((total, x) => total + x, 0),
        ),
      ),
    ],
  }),
};
