/**
 * W2 `wordcount` (shared/bench/WORKLOADS.md): keyed routing and per-key state.
 *
 * `Words` emits N words (N = iterations), word `i` being `"w" + ((i * 7919) % 1000)`.
 * `CountWords`, fed group-by-key on the word, with `k` instances (default 2; set it per run
 * with `run(..., { instances: { CountWords: k } })`), counts per word and, when its input
 * ends, emits one `[word, count]` pair per word it saw. `Top`, fed all-to-one, merges the
 * pairs and emits the 10 largest counts (ties by word, ascending string order), as one array.
 *
 * The pairs are also a workflow output, `CountWords`, so a run can be checked for
 * "every instance saw only its own keys": an instance emits one pair per word it saw, so
 * the check is that no word appears twice among the pairs (see {@link ownKeysOnly}).
 */
import { Observable } from 'rxjs';
import { pe, producer, workflow } from '../../src/index.js';
import { allToOne, groupByKey } from '../../operators/index.js';

/** A word and its count. */
export type WordCount = readonly [word: string, count: number];

/** The 1000 distinct words, made once so the producer allocates nothing per item. */
const WORDS = Array.from({ length: 1000 }, (_, i) => `w${i}`);

/** Word `i` of the input: `"w" + ((i * 7919) % 1000)`. */
export function word(i: number): string {
  return WORDS[(i * 7919) % 1000]!;
}

const Words = producer('Words', word);

// One Map per instance (the function runs once per instance); pairs are emitted at the end.
const CountWords = pe(
  'CountWords',
  (words: Observable<string>) =>
    new Observable<WordCount>((subscriber) => {
      const counts = new Map<string, number>();
      return words.subscribe({
        next: (w) => {
          counts.set(w, (counts.get(w) ?? 0) + 1);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          for (const pair of counts) subscriber.next(pair);
          subscriber.complete();
        },
      });
    }),
  { instances: 2 },
);

const Top = pe(
  'Top',
  (pairs: Observable<WordCount>) =>
    new Observable<WordCount[]>((subscriber) => {
      const totals = new Map<string, number>();
      return pairs.subscribe({
        next: ([w, count]) => {
          totals.set(w, (totals.get(w) ?? 0) + count);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.next(topTen(totals));
          subscriber.complete();
        },
      });
    }),
);

/** The 10 largest counts, ties broken by word in ascending string order. */
export function topTen(counts: ReadonlyMap<string, number>): WordCount[] {
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, 10);
}

/** The workflow: `Words -> CountWords (xk, group-by word) -> Top (all-to-one)`. */
export const wordcount = workflow('wordcount', () => {
  const counts = Words().pipe(
    groupByKey((w: string) => w),
    CountWords,
  );
  return { Top: counts.pipe(allToOne(), Top), CountWords: counts };
});

/**
 * The answer for N = `iterations`: `Top` is the 10 largest counts (with N a multiple of 1000,
 * `w0, w1, w10, w100, w101, ...` each N/1000 times), and `CountWords` one pair per distinct
 * word with its total count (a multiset).
 */
export function expected(iterations: number): { Top: WordCount[][]; CountWords: WordCount[] } {
  const counts = new Map<string, number>();
  for (let i = 0; i < iterations; i++) counts.set(word(i), (counts.get(word(i)) ?? 0) + 1);
  return { Top: [topTen(counts)], CountWords: [...counts] };
}

/**
 * Whether every `CountWords` instance saw only its own keys: each instance emits one pair per
 * word it saw, so a word counted by two instances appears twice.
 */
export function ownKeysOnly(pairs: readonly WordCount[]): boolean {
  return new Set(pairs.map(([w]) => w)).size === pairs.length;
}
