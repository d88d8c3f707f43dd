/**
 * dispel4py's `graph_testing/grouping_split_merge.py`: `RandomWordProducer` tees its words to
 * two `RandomFilter`s, whose outputs merge into one `WordCounter` grouped by the word
 * (`[0]`). Written with the RxJS DSL: a stream piped twice is a tee, `merge(...)` feeds two
 * outputs into one input, `groupByKey(0)` is dispel4py's `[0]`.
 *
 * dispel4py: the filters are random, so the counts are too; what holds is that the counter
 * emits `[word, running count]` for every word that passed either filter. Here the filters
 * are seeded (see `testingPEs.ts`), so the answer is fixed: as a multiset, `[w, 1] .. [w, c]`
 * for each word `w` that passed `c` times in all.
 */
import { workflow } from '../../src/index.js';
import { groupByKey, merge } from '../../operators/index.js';
import {
  keeps,
  randomFilterPE,
  randomWord,
  randomWordProducer,
  runningCounts,
  wordCounterPE,
  type WordCount,
  type WordItem,
} from './testingPEs.js';

const words = randomWordProducer('words');
const filter1 = randomFilterPE('filter1');
const filter2 = randomFilterPE('filter2');
const count = wordCounterPE('count');

/** The workflow: `words -> {filter1, filter2} -> count` (group-by word); output `count`. */
export const groupingSplitMerge = workflow('grouping_split_merge', () => {
  const all = words();
  return merge(all.pipe(filter1), all.pipe(filter2)).pipe(groupByKey<WordItem>(0), count);
});

/** The answer for `iterations` words, as a multiset of `[word, running count]`. */
export function expected(iterations: number): { count: WordCount[] } {
  const passed: string[] = [];
  for (let i = 0; i < iterations; i++) {
    if (keeps('filter1', i)) passed.push(randomWord(i));
    if (keeps('filter2', i)) passed.push(randomWord(i));
  }
  return { count: runningCounts(passed) };
}
