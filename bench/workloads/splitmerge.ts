import {
  connectable,
  count,
  firstValueFrom,
  forkJoin,
  map,
  merge,
  partition,
  range,
  reduce,
  Subject,
} from 'rxjs';
import type { BenchWorkload } from '../BenchWorkload.js';

/** W4 `splitmerge`: named ports, tee, merge and fan-in (`Double` and `Triple` have `k` instances). */
export const splitmerge: BenchWorkload = {
  id: 'W4',
  name: 'splitmerge',
  defaultN: 500_000,
  quickN: 50_000,
  parallel: ['Double', 'Triple'],
  load: async () => {
    const m = await import('../../examples/workloads/splitmerge.js');
    return { workflow: m.splitmerge, expected: m.expected };
  },
  loop: (n) => {
    let total = 0;
    let all = 0;
    for (let i = 0; i < n; i++) {
      total += (i & 1) === 0 ? 2 * i : 3 * i;
      all++;
    }
    return { Merge: [total], CountAll: [all] };
  },
  rxjs: async (n) => {
    // A tee in plain RxJS: a Subject-backed connectable, subscribed by every branch first.
    const numbers = connectable(range(0, n), { connector: () => new Subject<number>() });
    const [even, odd] = partition(numbers, (x) => (x & 1) === 0);
    const done = firstValueFrom(
      forkJoin({
        Merge: merge(even.pipe(map((x) => 2 * x)), odd.pipe(map((x) => 3 * x))).pipe(
          reduce((total, x) => total + x, 0),
        ),
        CountAll: numbers.pipe(count()),
      }),
    );
    numbers.connect();
    const { Merge, CountAll } = await done;
    return { Merge: [Merge], CountAll: [CountAll] };
  },
};
