import { defer, firstValueFrom, map, range, reduce } from 'rxjs';
import { ownKeysOnly, topTen, word, type WordCount } from '../../examples/workloads/wordcount.js';
import type { BenchWorkload, Results } from '../BenchWorkload.js';

const answer = (counts: Map<string, number>): Results => ({
  Top: [topTen(counts)],
  CountWords: [...counts],
});

/** W2 `wordcount`: keyed routing and per-key state (`CountWords` has `k` instances). */
export const wordcount: BenchWorkload = {
  id: 'W2',
  name: 'wordcount',
  defaultN: 1_000_000,
  quickN: 100_000,
  parallel: ['CountWords'],
  load: async () => {
    const m = await import('../../examples/workloads/wordcount.js');
    return { workflow: m.wordcount, expected: m.expected };
  },
  check: (results) =>
    ownKeysOnly(results['CountWords'] as WordCount[])
      ? undefined
      : 'a word was counted by two CountWords instances',
  loop: (n) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const w = word(i);
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return answer(counts);
  },
  rxjs: (n) =>
    firstValueFrom(
      defer(() =>
        range(0, n).pipe(
          map(word),
          reduce((counts, w) => counts.set(w, (counts.get(w) ?? 0) + 1), new Map<string, number>()),
          map(answer),
        ),
      ),
    ),
};
